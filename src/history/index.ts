/** Commit history: ingest from git into the store, and the helpers core/history.ts uses. */

export { formatIsoWithOffset, isCalendarDate, parseDateBound } from './dates.js';
export { DIFF_FORMAT_VERSION, DIFF_LIMITS, DIFF_TOKENS, type DiffIndexResult, indexDiffs } from './diffIndex.js';
export { type IngestResult, ingestHistory } from './ingest.js';
export { fillLineCounts } from './lineCounts.js';
export { isPartialClone, MAX_PATCH_BYTES, type PatchText, readPatch, showPatchArgs } from './patch.js';
export { type PathHistory, pathHistory } from './pathHistory.js';
export type { SimplifyMode } from './simplify.js';
