import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TINY_DIMS, writeTinyOnnxModel } from '../../test/fixtures/tinyOnnxModel.js';
import { tempDir } from '../../test/helpers/git.js';
import { loadConfig } from '../config/index.js';
import { silentLogger } from '../shared/logger.js';
import { createEmbedder } from './createEmbedder.js';
import { createOnnxEmbedder } from './onnx.js';

const localModel = (dir: string) => loadConfig({ cwd: '/', env: { GITLORE_EMBEDDINGS: 'local', GITLORE_EMBEDDINGS_MODEL: dir } });
const unit = (...hot: number[]) => {
  const v = new Array<number>(TINY_DIMS).fill(0);
  for (const i of hot) v[i] = 1 / Math.sqrt(hot.length);
  return v;
};

// transformers.js and onnxruntime-node are optional (scripts/setup.sh installs them for the suite); without them
// the tests that run a model are skipped rather than failed.
const transformersInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('@huggingface/transformers');
    return true;
  } catch {
    return false;
  }
})();

describe('ONNX model folder through transformers.js and onnxruntime-node', () => {
  it.skipIf(!transformersInstalled)(
    'tokenizes, runs the model and mean-pools, offline, with the exact vectors the model defines',
    async () => {
      const dir = writeTinyOnnxModel(join(tempDir(), 'tiny-bert'));
      const embedder = await createEmbedder(localModel(dir));
      expect(embedder?.id).toBe('onnx:tiny-bert');
      expect(embedder?.dims).toBe(TINY_DIMS);
      // A batch of different lengths: padding must not leak into the mean; upper case is normalized; an unknown word is [UNK] (row 1).
      const [a, b, c, d] = (await embedder?.embed(['open database', 'Parse JSON config', 'open', 'open frobnicate'])) ?? [];
      const close = (got: Float32Array | undefined, want: number[]) => {
        expect(got).toHaveLength(want.length);
        for (const [i, x] of [...(got ?? [])].entries()) expect(x).toBeCloseTo(want[i] ?? 0, 5);
      };
      close(a, unit(4, 5));
      close(b, unit(7, 8, 9));
      close(c, unit(4));
      close(d, unit(4, 1));
    },
  );

  it.skipIf(!transformersInstalled)(
    'runs on the CPU unless CUDA loads: GITLORE_EMBEDDINGS_DEVICE=cuda names the fix, auto falls back with a warning',
    async () => {
      // This machine has no CUDA execution provider (onnxruntime-node fetches it at install only when asked).
      const dir = writeTinyOnnxModel(join(tempDir(), 'tiny-bert'));
      const err = await createEmbedder(
        loadConfig({ cwd: '/', env: { GITLORE_EMBEDDINGS_MODEL: dir, GITLORE_EMBEDDINGS_DEVICE: 'cuda' } }),
      ).catch((e) => e);
      expect(err.code).toBe('NOT_CONFIGURED');
      expect(err.toLine()).toMatch(
        /no usable CUDA execution provider \(.*libonnxruntime_providers_cuda\.so\).*GITLORE_EMBEDDINGS_DEVICE=cpu/,
      );
      const warnings: string[] = [];
      const log = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
      const embedder = await createOnnxEmbedder({ dir, device: 'auto', gpuPresent: true, log });
      expect(warnings).toEqual(['an NVIDIA GPU is present but onnxruntime cannot use it; embedding on the CPU']);
      const [v] = await embedder.embed(['open database']);
      for (const [i, x] of [...(v ?? [])].entries()) expect(x).toBeCloseTo(unit(4, 5)[i] ?? 0, 5);
      // No GPU: auto goes straight to the CPU, without trying CUDA.
      warnings.length = 0;
      await createOnnxEmbedder({ dir, device: 'auto', gpuPresent: false, log });
      expect(warnings).toEqual([]);
    },
  );

  it('names the folder when it holds no model', async () => {
    const dir = join(tempDir(), 'empty-model');
    mkdirSync(dir);
    const err = await createEmbedder(localModel(dir)).catch((e) => e);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.toLine()).toContain(dir);
    expect(err.toLine()).toContain('onnx/model.onnx');
  });
});
