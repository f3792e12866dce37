import type { ResolvedConfig } from '../config/index.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';

/**
 * What every use case needs, built once by main.ts and passed down.
 * No module below this reads process.env or opens its own store.
 */
export interface App {
  readonly config: ResolvedConfig;
  readonly store: Store;
  readonly log: Logger;
}
