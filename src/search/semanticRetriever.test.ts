import { describe, expect, it } from 'vitest';
import { codeVectorEmbedder } from '../embeddings/codeVectors.js';
import { trainCodeVectors } from '../embeddings/codeVectorTraining.js';
import { nameCosines } from './semanticRetriever.js';

/** Two topics, each with its own vocabulary: HTTP headers and file paths. */
function corpus(): string[] {
  const texts: string[] = [];
  for (let i = 0; i < 80; i += 1)
    texts.push(
      `function readRequestHeader${i}(req) {\n  // the request header of the http message\n  return req.headers.host;\n}`,
      `def join_folder_path_${i}(folder):\n    """The file path inside the directory folder."""\n    return os.path.join(folder, name)`,
    );
  return texts;
}

describe('nameCosines', () => {
  const embedder = codeVectorEmbedder(trainCodeVectors(corpus(), { dims: 16, minCount: 2 }));

  it('scores a candidate by its name read as words, whatever its qualifier, and skips candidates without a name', async () => {
    const [vector] = await embedder.embed(['get the http request header']);
    const list = { model: embedder.id, vector: vector!, ids: [] };
    const chunks = [
      { id: 1, symbol: 'Client.readRequestHeader' },
      { id: 2, symbol: 'paths.join_folder_path' },
      { id: 3, symbol: null },
    ];
    const cos = await nameCosines(embedder, list, chunks);
    expect(cos.get(1)!).toBeGreaterThan(cos.get(2)! + 0.2);
    expect(cos.has(3)).toBe(false);
    // Asked again, the names' vectors come from memory and give the same scores.
    expect(await nameCosines(embedder, list, chunks)).toEqual(cos);
  });
});
