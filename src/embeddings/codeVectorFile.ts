import { readFileSync, writeFileSync } from 'node:fs';
import type { CodeVectorModel } from './codeVectors.js';

const MAGIC = 'GLCV1';

/** Writes the model as one file: a JSON header line, then the float32 idf and vectors. */
export function saveCodeVectors(model: CodeVectorModel, file: string): void {
  const header = Buffer.from(
    `${JSON.stringify({ magic: MAGIC, id: model.id, dims: model.dims, corpusSize: model.corpusSize ?? 0, vocab: model.vocab })}\n`,
  );
  writeFileSync(
    file,
    Buffer.concat([
      header,
      Buffer.from(model.idf.buffer, model.idf.byteOffset, model.idf.byteLength),
      Buffer.from(model.vectors.buffer, model.vectors.byteOffset, model.vectors.byteLength),
    ]),
  );
}

export function loadCodeVectors(file: string): CodeVectorModel {
  const buf = readFileSync(file);
  const nl = buf.indexOf(10);
  const header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as {
    magic: string;
    id: string;
    dims: number;
    corpusSize?: number;
    vocab: string[];
  };
  if (header.magic !== MAGIC) throw new Error(`${file} is not a gitlore code-vector model`);
  const V = header.vocab.length;
  const body = buf.subarray(nl + 1);
  const floats = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  return {
    id: header.id,
    dims: header.dims,
    corpusSize: header.corpusSize,
    vocab: header.vocab,
    idf: floats.slice(0, V),
    vectors: floats.slice(V, V + V * header.dims),
  };
}
