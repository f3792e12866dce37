import { parentPort, workerData } from 'node:worker_threads';
import { snapshotSqliteDatabase } from './snapshot.js';

/** Runs one `VACUUM INTO` off the main thread (a large database takes seconds, which would stall a serving event loop). */
const { dbPath, destFile } = workerData as { dbPath: string; destFile: string };
try {
  snapshotSqliteDatabase(dbPath, destFile);
  parentPort?.postMessage({ ok: true });
} catch (error) {
  const e = error as { code?: string; message?: string; hint?: string };
  parentPort?.postMessage({ ok: false, code: e.code, message: e.message ?? String(error), hint: e.hint });
}
