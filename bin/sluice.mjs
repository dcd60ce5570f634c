#!/usr/bin/env node
// The `sluice` command: backend/cli/main.ts under a new enough Node.js (bin/launch.mjs).
import { launchEntry } from './launch.mjs';

await launchEntry('backend/cli/main.ts');
