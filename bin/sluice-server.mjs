#!/usr/bin/env node
// The `sluice-server` command: backend/main.ts under a new enough Node.js (bin/launch.mjs).
import { launchEntry } from './launch.mjs';

await launchEntry('backend/main.ts');
