import type { CodeVectorModel } from './codeVectors.js';

const MAGIC = 'GLCV1';

/**
 * The model as one blob, as the store keeps it (and as `codevec.bin` files held it before): a JSON header line,
 * then the float32 idf and vectors.
 */
export function encodeCodeVectors(model: CodeVectorModel): Buffer {
  const header = Buffer.from(
    `${JSON.stringify({ magic: MAGIC, id: model.id, dims: model.dims, corpusSize: model.corpusSize ?? 0, vocab: model.vocab })}\n`,
  );
  return Buffer.concat([
    header,
    Buffer.from(model.idf.buffer, model.idf.byteOffset, model.idf.byteLength),
    Buffer.from(model.vectors.buffer, model.vectors.byteOffset, model.vectors.byteLength),
  ]);
}

/** Reads `encodeCodeVectors`' blob back; throws naming `source` when it is not one, or is cut short. */
export function decodeCodeVectors(buf: Buffer, source: string): CodeVectorModel {
  const nl = buf.indexOf(10);
  let header: { magic?: string; id: string; dims: number; corpusSize?: number; vocab: string[] };
  try {
    header = JSON.parse(buf.subarray(0, nl < 0 ? buf.length : nl).toString('utf8'));
  } catch {
    throw new Error(`${source} is not a gitlore code-vector model`);
  }
  if (nl < 0 || header?.magic !== MAGIC) throw new Error(`${source} is not a gitlore code-vector model`);
  const V = header.vocab.length;
  const body = buf.subarray(nl + 1);
  if (body.byteLength !== (V + V * header.dims) * 4) throw new Error(`${source} is cut short (${body.byteLength} bytes of vectors)`);
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
