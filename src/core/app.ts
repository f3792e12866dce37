/** The services every use case receives; the older name, kept while callers move to Services. */
export type { Services as App } from './services.js';
