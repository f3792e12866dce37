import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { createEmbedder } from './createEmbedder.js';
import { dot } from './vectors.js';

describe('local Universal Sentence Encoder', () => {
  it('loads offline from the npm package and ranks related text higher', async () => {
    const embedder = await createEmbedder(loadConfig({ cwd: '/', env: { GITLORE_EMBEDDINGS: 'local', GITLORE_EMBEDDINGS_MODEL: 'use' } }));
    expect(embedder?.dims).toBe(512);
    const [q, near, far] =
      (await embedder?.embed([
        'How do I open a database connection?',
        'Function that connects to the SQL database',
        'The cat sat on the warm windowsill.',
      ])) ?? [];
    expect(Math.hypot(...q)).toBeCloseTo(1, 4);
    expect(dot(q, near)).toBeGreaterThan(dot(q, far) + 0.2);
    expect(await embedder?.embed([])).toEqual([]);
  });
});
