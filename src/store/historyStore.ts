/** Commit history storage. Owned by src/history. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the history work
export interface HistoryStore {}
