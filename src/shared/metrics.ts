/**
 * What the layers below the server report for /metrics, as plain events: a job finished, an answer used model
 * tokens, chunks were embedded. Recording costs a call per listener and nothing when no server listens (the CLI),
 * so no layer imports the metrics library; the server's registry subscribes (server/metrics.ts).
 * Label values are kinds, providers and directions only: never repository names, users or secrets.
 */
/**
 * How a job attempt ended: `done`; `failed` (the in-process queue's failure, or a shared-queue attempt whose lane
 * already had a newer request waiting); `retried` (a shared-queue attempt failed and the job waits for another);
 * `dead` (its last attempt failed).
 */
export type JobOutcome = 'done' | 'failed' | 'retried' | 'dead';

export type MetricEvent =
  | { type: 'job'; kind: string; outcome: JobOutcome; seconds: number }
  | { type: 'llm-tokens'; provider: string; input: number; output: number }
  | { type: 'chunks-embedded'; count: number };

export interface MetricsSink {
  record(event: MetricEvent): void;
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: (event: MetricEvent) => void): () => void;
}

export function createMetricsSink(): MetricsSink {
  const listeners = new Set<(event: MetricEvent) => void>();
  return {
    record(event) {
      for (const listener of listeners) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
