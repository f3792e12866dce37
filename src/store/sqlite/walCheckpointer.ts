import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.js';

const require = createRequire(import.meta.url);

/** How often the background connection copies committed WAL frames into the database file. */
const CHECKPOINT_INTERVAL_MS = 200;
/** SQLite's default, restored when the last bulk run ends. */
const DEFAULT_AUTOCHECKPOINT = 1000;

// Plain CommonJS so the worker starts without the TypeScript loader (and in a few milliseconds).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.postMessage('closed'); });
parentPort.postMessage('ready');
`;

/**
 * Moves WAL checkpoints off the writer during long write runs. With SQLite's
 * automatic checkpoint, the committing thread copies every page it wrote a
 * second time, into the database file (a quarter of the indexer's commit
 * time); here a second connection on its own thread does that copy with
 * passive checkpoints, which never block the writer, while the writer's
 * automatic checkpoint is off. Runs nest: the first start begins it, the
 * last end stops it. Falls back to the automatic checkpoint when the thread
 * cannot start (or the database is in memory).
 */
export function createWalCheckpointer(db: Db): () => Promise<() => Promise<void>> {
  let active = 0;
  let worker: Promise<Worker | null> | null = null;
  const writerCheckpoints = () => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
  };
  const stop = async () => {
    active -= 1;
    if (active > 0) return;
    const running = await worker;
    worker = null;
    writerCheckpoints();
    if (!running) return;
    await new Promise<void>((resolve) => {
      running.once('message', () => resolve());
      running.once('exit', () => resolve());
      running.postMessage('stop');
    });
    await running.terminate();
  };
  return async () => {
    active += 1;
    if (!worker && !db.memory) {
      const starting: Promise<Worker | null> = startWorker(db.name).then((started) => {
        if (!started) return null;
        db.pragma('wal_autocheckpoint = 0');
        // A checkpointer that dies mid-run hands checkpoints back to the writer.
        started.on('exit', () => {
          if (worker === starting) writerCheckpoints();
        });
        return started;
      });
      worker = starting;
    }
    await worker;
    let ended = false;
    return async () => {
      if (ended) return;
      ended = true;
      await stop();
    };
  };
}

function startWorker(path: string): Promise<Worker | null> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { driver: require.resolve('better-sqlite3'), path, intervalMs: CHECKPOINT_INTERVAL_MS },
      });
    } catch {
      resolve(null);
      return;
    }
    worker.unref();
    worker.on('error', () => {});
    worker.once('message', () => resolve(worker));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
}
