import { describe, expect, it } from 'vitest';
import type { IndexReport } from '../core/indexRepos.js';
import { emptyIndexResult } from '../indexer/indexRepo.js';
import { printReport } from './indexRepos.js';
import { createOutput } from './render.js';

function printed(report: Partial<IndexReport>): string {
  const stream = {
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  printReport(createOutput(stream), { repos: [], embedded: 0, embeddingModel: null, durationMs: 5, failed: 0, ...report });
  return stream.text;
}

describe('index summary', () => {
  it('counts only the repositories that were indexed, and claims no search when none was', () => {
    const text = printed({
      repos: [emptyIndexResult('api', 'failed', ['database or disk is full']), emptyIndexResult('web', 'failed', ['no clone'])],
      failed: 2,
      embeddingError: 'network down',
    });
    // Before: "indexed 2 repositories" and "embeddings failed (network down); lexical and symbol search work".
    expect(text).toMatch(/^indexed 0 repositories \(2 failed\) in /m);
    expect(text).toMatch(/^embeddings failed \(network down\)$/m);
    expect(text).not.toMatch(/search work/);
  });

  it('says lexical and symbol search work when some repository was indexed', () => {
    const text = printed({
      repos: [emptyIndexResult('api', 'indexed'), emptyIndexResult('web', 'failed', ['no clone'])],
      failed: 1,
      embeddingError: 'network down',
    });
    expect(text).toMatch(/^indexed 1 repositories \(1 failed\) in /m);
    expect(text).toMatch(/embeddings failed \(network down\); lexical and symbol search work/);
  });
});
