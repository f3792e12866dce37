import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority } from '../shared/moduleWorker.js';
import { prepareFile } from './prepareFile.js';

/**
 * Niceness of parser threads (0 is normal, 19 the lowest): the single SQLite writer (and, under
 * `gitlore serve`, the HTTP handlers) get a core when they need one and the parsers take what is left.
 */
const PARSER_NICENESS = 5;

/** Worker thread: parses, chunks and tokenizes files for the indexer (see preparePool.ts). */
parentPort?.on('message', async (message: { id: number; path: string; blob: string; raw: Uint8Array }) => {
  try {
    const file = await prepareFile(
      message.path,
      message.blob,
      Buffer.from(message.raw.buffer, message.raw.byteOffset, message.raw.byteLength),
    );
    // The trigram words have a buffer of their own (see the store's indexCodec): handed over, not copied.
    parentPort?.postMessage({ id: message.id, file }, [file.grams.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message ?? String(error) });
  }
});
lowerThreadPriority(PARSER_NICENESS);
parentPort?.postMessage({ ready: true });
