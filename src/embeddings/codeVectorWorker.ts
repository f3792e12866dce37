import { parentPort, workerData } from 'node:worker_threads';
import { type CodeVectorOptions, trainCodeVectors } from './codeVectorTraining.js';

/** Worker side of `trainCodeVectorsOffThread`: collects the texts sent in batches, learns, sends the model back. */
const port = parentPort;
if (!port) throw new Error('codeVectorWorker runs only as a worker thread');
const options = workerData as CodeVectorOptions;
const texts: string[] = [];
port.on('message', (message: { texts?: string[] }) => {
  if (message.texts) {
    for (const text of message.texts) texts.push(text);
    return;
  }
  const model = trainCodeVectors(texts, options);
  texts.length = 0;
  port.postMessage(model, [model.vectors.buffer as ArrayBuffer, model.idf.buffer as ArrayBuffer]);
});
