#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('gitlore: not built yet. Run `npm run build` in the gitlore checkout first.\n');
  process.exit(1);
}
await import(built);
