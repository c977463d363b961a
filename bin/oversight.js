#!/usr/bin/env node
// The `oversight` command. The sources are TypeScript, loaded through tsx's ESM hooks (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
