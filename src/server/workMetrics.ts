import { Counter, Histogram, type Registry } from 'prom-client';
import type { MetricEvent, MetricsSink } from '../shared/metrics.js';

/** Job duration buckets (seconds): a no-op resync takes a second, a first index of an organization hours. */
const JOB_BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600];

/**
 * The counters of work done in this process, fed by the services' metric events: jobs by kind and outcome with their
 * run time, texts embedded, model tokens. `serve` and `gitlore worker` both register them, under the same names, so
 * `sum by (kind, outcome)` over every scraped process counts each job once wherever it ran. Returns the unsubscribe.
 */
export function registerWorkMetrics(registry: Registry, sink: MetricsSink): () => void {
  const jobs = new Counter({
    name: 'gitlore_jobs_total',
    help: 'Background job attempts finished in this process, by kind (resync, repo, source, permissions) and outcome (done, failed, retried, dead)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const jobSeconds = new Histogram({
    name: 'gitlore_job_duration_seconds',
    help: 'Run time of background job attempts finished in this process, by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
  const embedded = new Counter({
    name: 'gitlore_embedded_texts_total',
    help: 'Texts embedded by this process: index chunks, and search queries that needed a vector',
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'gitlore_llm_tokens_total',
    help: 'Model tokens used by Ask answers, by provider (GITLORE_LLM) and direction (input, output)',
    labelNames: ['provider', 'direction'] as const,
    registers: [registry],
  });

  return sink.subscribe((event: MetricEvent) => {
    if (event.type === 'job') {
      jobs.inc({ kind: event.kind, outcome: event.outcome });
      jobSeconds.observe({ kind: event.kind, outcome: event.outcome }, event.seconds);
    } else if (event.type === 'chunks-embedded') {
      embedded.inc(event.count);
    } else {
      if (event.input > 0) tokens.inc({ provider: event.provider, direction: 'input' }, event.input);
      if (event.output > 0) tokens.inc({ provider: event.provider, direction: 'output' }, event.output);
    }
  });
}
