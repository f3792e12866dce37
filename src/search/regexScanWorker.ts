import { parentPort } from 'node:worker_threads';
import type { RE2JS } from 're2js';
import { lowerThreadPriority } from '../shared/moduleWorker.js';
import { compileRegex } from './regexPattern.js';
import { type ScanFile, scanFiles } from './regexScan.js';

/** Below the main thread, so HTTP handlers (and /health) get a core first while a scan runs. */
const SCAN_NICENESS = 5;

export interface ScanRequest {
  pattern: string;
  files: ScanFile[];
  limit: number;
  deadline: number;
}

export type ScanReply =
  | { type: 'matches'; fileId: number; ranges: { startLine: number; endLine: number; text: string }[] }
  | { type: 'done'; scanned: number; stopped: 'limit' | 'deadline' | null }
  | { type: 'error'; message: string };

/** Worker thread: scans pages of candidate files for one query at a time (see regexScanner.ts). */
let compiled: { pattern: string; regex: RE2JS } | null = null;
parentPort?.on('message', (request: ScanRequest) => {
  const reply = (message: ScanReply) => parentPort?.postMessage(message);
  try {
    if (compiled?.pattern !== request.pattern) compiled = { pattern: request.pattern, regex: compileRegex(request.pattern) };
    const progress = scanFiles(compiled.regex, request.files, request.limit, request.deadline, (fileId, ranges) =>
      reply({ type: 'matches', fileId, ranges }),
    );
    reply({ type: 'done', ...progress });
  } catch (error) {
    reply({ type: 'error', message: (error as Error).message ?? String(error) });
  }
});
lowerThreadPriority(SCAN_NICENESS);
parentPort?.postMessage({ ready: true });
