#!/usr/bin/env node
// The `sluice-agent` command: agent/main.ts under a new enough Node.js (bin/launch.mjs).
import { launchEntry } from './launch.mjs';

await launchEntry('agent/main.ts');
