// Loaded into the server by `bench/healthBench.ts --probe` (node --import): prints every main-thread stall over
// 50 ms to stderr, so the bench shows it between the server's own log lines.
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const TICK_MS = 10;
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const stall = now - last - TICK_MS;
    if (stall > 50) process.stderr.write(`[loop] main thread blocked ${stall.toFixed(0)} ms\n`);
    last = now;
  }, TICK_MS).unref();
}

// HEALTHBENCH_CPUPROF=<file>: a CPU profile of the server's main thread, written when it exits (open it in Chrome DevTools).
const profileFile = process.env.HEALTHBENCH_CPUPROF;
if (isMainThread && profileFile) {
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(profileFile, JSON.stringify(result.profile));
    });
  });
}
