import { parentPort } from 'node:worker_threads';
import { prepareFile } from './indexRepo.js';

/** Worker thread: parses, chunks and tokenizes files for the indexer (see preparePool.ts). */
parentPort?.on('message', async (message: { id: number; path: string; blob: string; raw: Uint8Array }) => {
  try {
    const file = await prepareFile(
      message.path,
      message.blob,
      Buffer.from(message.raw.buffer, message.raw.byteOffset, message.raw.byteLength),
    );
    parentPort?.postMessage({ id: message.id, file });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message ?? String(error) });
  }
});
parentPort?.postMessage({ ready: true });
