import { describe, expect, it } from 'vitest';
import { formatDuration, formatTime, indexView, jobProgress, jobTitle, syncView } from './statusView.js';

describe('status words', () => {
  it('formats times and durations', () => {
    expect(formatTime('2024-01-01T12:34:56.789Z')).toBe('2024-01-01 12:34 UTC');
    expect(formatTime('2024-01-01T12:34:56+02:00')).toBe('2024-01-01 10:34 UTC');
    expect(formatTime(null)).toBe('never');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(null)).toBe('');
  });

  it('names sync states: ok, failed, never, gone upstream', () => {
    expect(syncView({ syncStatus: 'ok', lastSyncAt: '2024-01-01T00:00:00Z' })).toEqual({ label: 'ok', tone: 'ok' });
    expect(syncView({ syncStatus: 'failed', lastSyncAt: '2024-01-01T00:00:00Z' })).toEqual({ label: 'failed', tone: 'error' });
    expect(syncView({ syncStatus: 'pending', lastSyncAt: null })).toEqual({ label: 'never', tone: 'idle' });
    expect(syncView({ syncStatus: 'gone', lastSyncAt: '2024-01-01T00:00:00Z' }).label).toBe('gone upstream');
  });

  it('calls an index stale when the clone moved past the indexed commit', () => {
    const ok = { status: 'ok', commit: 'a', headCommit: 'a', upToDate: true };
    expect(indexView(ok)).toEqual({ label: 'up to date', tone: 'ok' });
    expect(indexView({ ...ok, headCommit: 'b', upToDate: false })).toEqual({ label: 'stale', tone: 'warn' });
    expect(indexView({ ...ok, status: 'failed', upToDate: false })).toEqual({ label: 'failed', tone: 'error' });
    expect(indexView({ ...ok, status: 'indexing', upToDate: false }).label).toBe('indexing');
    expect(indexView(null).label).toBe('not indexed');
    expect(indexView({ status: 'not indexed', commit: null, headCommit: 'a', upToDate: false }).label).toBe('not indexed');
  });

  it('describes jobs and where a running one is', () => {
    expect(jobTitle({ scope: 'all', reason: 'interval' })).toBe('sync all repositories');
    expect(jobTitle({ scope: 'widgets', reason: 'api' })).toBe('sync widgets');
    expect(jobTitle({ scope: 'github:org/acme', reason: 'ingest' })).toBe('ingest github:org/acme');
    const progress = { repo: 'widgets', reposDone: 1, reposTotal: 3, filesDone: 120, filesTotal: 400 };
    expect(jobProgress({ state: 'running', phase: 'index', progress })).toBe('indexing widgets · 1 of 3 repositories · 120 of 400 files');
    expect(jobProgress({ state: 'running', phase: 'sync', progress: null })).toBe('syncing');
    expect(jobProgress({ state: 'queued', phase: null, progress: null })).toBe('queued');
  });
});
