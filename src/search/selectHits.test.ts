import { describe, expect, it } from 'vitest';
import { FILE_GROUP_CHUNKS } from '../shared/searchLimits.js';
import { extractIssueText, ISSUE_TEXT_PARAMS } from './issueText.js';
import { candidateScale, capPerFile, selectHits, spreadOverFiles } from './selectHits.js';

let nextId = 0;
/** A scored chunk of file `fileId` (path `f<fileId>.py` unless given) at lines start..start+9. */
function item(fileId: number, start: number, score: number, path = `src/f${fileId}.py`, symbol: string | null = null) {
  nextId += 1;
  return { chunk: { id: nextId, fileId, path, symbol, startLine: start, endLine: start + 9 }, score };
}
const where = (rows: { chunk: { fileId: number; startLine: number } }[]) => rows.map((r) => `${r.chunk.fileId}:${r.chunk.startLine}`);

describe('selectHits', () => {
  const ranked = [
    item(1, 1, 0.9),
    item(1, 20, 0.85),
    item(1, 40, 0.8),
    item(1, 60, 0.72),
    item(1, 65, 0.71), // overlaps 1:60
    item(2, 1, 0.7),
    item(1, 80, 0.65),
    item(3, 1, 0.6),
    item(2, 20, 0.5),
  ];

  it('drops overlapping windows of one file, keeping the better one', () => {
    expect(where(selectHits(ranked, { limit: 20, perFile: 200 }))).toEqual(['1:1', '1:20', '1:40', '1:60', '2:1', '1:80', '3:1', '2:20']);
  });

  it('shows at most perFile chunks of a file before the other files, the rest after them in their order', () => {
    expect(where(selectHits(ranked, { limit: 20, perFile: 2 }))).toEqual(['1:1', '1:20', '2:1', '3:1', '2:20', '1:40', '1:60', '1:80']);
    expect(where(selectHits(ranked, { limit: 4, perFile: 2 }))).toEqual(['1:1', '1:20', '2:1', '3:1']);
    // One file alone still fills the page.
    const oneFile = ranked.filter((r) => r.chunk.fileId === 1);
    expect(selectHits(oneFile, { limit: 10, perFile: 1 })).toHaveLength(5);
  });

  it('by default ranks each chunk of a file past its third a little lower, so close results from other files come first', () => {
    // 1:60 (4th of file 1, 0.72 × 0.95 = 0.684) falls below 2:1 (0.7); 1:80 (5th, 0.65 × 0.9025 = 0.587) below 3:1 (0.6).
    expect(where(selectHits(ranked, { limit: 20 }))).toEqual(['1:1', '1:20', '1:40', '2:1', '1:60', '3:1', '1:80', '2:20']);
    // A far better 4th chunk keeps its place.
    const strong = [item(4, 1, 0.9), item(4, 20, 0.9), item(4, 40, 0.9), item(4, 60, 0.9), item(5, 1, 0.5)];
    expect(where(selectHits(strong, { limit: 4 }))).toEqual(['4:1', '4:20', '4:40', '4:60']);
  });

  it('groups by file: one row each, ranked by the best chunk, listing its best chunks', () => {
    const rows = selectHits(ranked, { limit: 2, group: 'file' });
    expect(where(rows)).toEqual(['1:1', '2:1']);
    expect(rows[0]?.chunks?.map((c) => c.chunk.startLine)).toEqual([1, 20, 40].slice(0, FILE_GROUP_CHUNKS));
    expect(rows[0]?.chunks?.[0]?.chunk).toBe(rows[0]?.chunk);
    expect(rows[1]?.chunks?.map((c) => c.chunk.startLine)).toEqual([1, 20]);
    expect(selectHits(ranked, { limit: 10, group: 'file' })).toHaveLength(3);
  });

  it('lifts the files and frame functions a pasted text names, keeping scores within (0, 1]', () => {
    const evidence = extractIssueText(
      'Crash in resampling\n  File "/venv/lib/tabula/core/resample.py", line 88, in bucket_edges\nKeyError: 3',
    );
    const candidates = [
      item(1, 1, 0.9, 'tabula/core/frame.py', 'Frame.resample'),
      item(2, 1, 0.7, 'tabula/core/resample.py', 'Resampler'),
      item(3, 1, 0.65, 'docs/resample.py', null),
      item(2, 30, 0.6, 'tabula/core/resample.py', 'bucket_edges'),
    ];
    const rows = selectHits(candidates, { limit: 10, perFile: 5, evidence });
    const order = rows.map((r) => `${r.chunk.path}:${r.chunk.symbol}`);
    expect(order.slice(0, 2).sort()).toEqual(['tabula/core/resample.py:Resampler', 'tabula/core/resample.py:bucket_edges']);
    expect(order.slice(2)).toEqual(['tabula/core/frame.py:Frame.resample', 'docs/resample.py:null']);
    const { path, fileName, frameFunction } = ISSUE_TEXT_PARAMS.boost;
    const most = 1 + path + frameFunction;
    expect(rows.find((r) => r.chunk.symbol === 'bucket_edges')?.score).toBeCloseTo((0.6 * most) / most);
    expect(rows.find((r) => r.chunk.symbol === 'Resampler')?.score).toBeCloseTo((0.7 * (1 + path)) / most);
    expect(rows[3]?.score).toBeCloseTo((0.65 * (1 + fileName)) / most);
    for (const r of rows) expect(r.score).toBeLessThanOrEqual(1);
    // Without evidence, the order is the scores'.
    expect(selectHits(candidates, { limit: 10, perFile: 5 }).map((r) => r.chunk.fileId)).toEqual([1, 2, 3, 2]);
  });
});

describe('capPerFile, spreadOverFiles and candidateScale', () => {
  it('keep everything, reordered', () => {
    const items = [item(1, 1, 1), item(1, 20, 1), item(2, 1, 0.5)];
    expect(capPerFile(items, 1).map((i) => i.chunk.fileId)).toEqual([1, 2, 1]);
    expect(spreadOverFiles(items, 1, 0.9).map((i) => i.chunk.fileId)).toEqual([1, 1, 2]);
    expect(spreadOverFiles(items, 1, 0.4).map((i) => i.chunk.fileId)).toEqual([1, 2, 1]);
    expect(spreadOverFiles([], 3)).toEqual([]);
    expect(capPerFile([], 3)).toEqual([]);
  });

  it('asks the retrievers for enough chunks to fill a page of files', () => {
    expect(candidateScale(10, undefined, 100)).toBe(1);
    expect(candidateScale(10, 'file', 100)).toBe(1);
    expect(candidateScale(50, 'file', 100)).toBe(2);
    expect(candidateScale(200, 'file', 100)).toBe(6);
    expect(candidateScale(200, undefined, 100)).toBe(4);
  });
});
