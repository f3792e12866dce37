#!/usr/bin/env node
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('gitlore: not built yet. Run `npm run build` in the gitlore checkout first.\n');
  process.exit(1);
}
// Node >= 22.1 keeps compiled code on disk, so later starts skip most of the parsing and compiling
// of the modules a command loads (bench/cliBench.ts); older Nodes do without.
module.enableCompileCache?.();
// `gitlore … | head` closes stdout early; that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { run } = await import(built);
process.exitCode = await run(process.argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
