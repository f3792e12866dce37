import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { newModuleWorker, siblingModule } from '../shared/moduleWorker.js';
import type { CodeVectorModel } from './codeVectors.js';
import type { CodeVectorOptions } from './codeVectorTraining.js';
import { throwIfAborted } from './vectors.js';

/** Texts per message to the worker: each postMessage copies its batch on this thread, so batches stay small. */
const SEND_BATCH = 1000;

/**
 * `trainCodeVectors` in a worker thread, so a server keeps answering while it learns (seconds to a minute of
 * CPU on a large corpus). The same code runs on the same texts, so the model is bit-identical to in-process
 * training. Aborting the signal stops the worker.
 */
export async function trainCodeVectorsOffThread(
  texts: readonly string[],
  options: CodeVectorOptions = {},
  signal?: AbortSignal,
): Promise<CodeVectorModel> {
  throwIfAborted(signal);
  const worker = newModuleWorker(siblingModule(import.meta.url, 'codeVectorWorker'), options);
  let onAbort = () => {};
  const learned = new Promise<CodeVectorModel>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the code-vector training worker stopped (exit code ${code})`)));
    onAbort = () => {
      try {
        throwIfAborted(signal);
      } catch (error) {
        reject(error);
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  // Rejections are awaited below; this keeps one that arrives while texts are still being sent from going unhandled.
  learned.catch(() => {});
  try {
    for (let i = 0; i < texts.length; i += SEND_BATCH) {
      throwIfAborted(signal);
      worker.postMessage({ texts: texts.slice(i, i + SEND_BATCH) });
      await yieldToEventLoop();
    }
    worker.postMessage({ done: true });
    return await learned;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    void worker.terminate();
  }
}
