import { afterEach, describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from '../../test/helpers/prometheus.js';
import { GitloreError } from '../shared/errors.js';
import { createMetricsSink } from '../shared/metrics.js';
import { startWorkerMetrics, type WorkerMetricsListener } from './workerMetrics.js';

const TOKEN = 'scrape-secret-123';
const running: WorkerMetricsListener[] = [];
afterEach(async () => {
  for (const listener of running.splice(0)) await listener.close();
});

async function start(options: { host?: string; port?: number; token?: string } = {}) {
  const sink = createMetricsSink();
  const listener = await startWorkerMetrics({
    sink,
    worker: { running: () => [] },
    slots: 2,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    token: options.token,
  });
  running.push(listener);
  return { sink, listener };
}

describe('startWorkerMetrics', () => {
  it('serves the job events of its sink at GET /metrics, and nothing else', async () => {
    const { sink, listener } = await start();
    sink.record({ type: 'job', kind: 'repo', outcome: 'retried', seconds: 2 });
    sink.record({ type: 'job', kind: 'repo', outcome: 'done', seconds: 20 });
    sink.record({ type: 'chunks-embedded', count: 7 });
    const samples = parseExposition(await (await fetch(`${listener.url}/metrics`)).text());
    expect(sampleValue(samples, 'gitlore_jobs_total', { kind: 'repo', outcome: 'retried' })).toBe(1);
    expect(sampleValue(samples, 'gitlore_job_duration_seconds_sum', { kind: 'repo', outcome: 'done' })).toBe(20);
    expect(sampleValue(samples, 'gitlore_embedded_texts_total')).toBe(7);
    expect(sampleValue(samples, 'gitlore_worker_slots')).toBe(2);
    expect(sampleValue(samples, 'gitlore_worker_jobs_running')).toBe(0);
    const other = await fetch(`${listener.url}/api/repos`);
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
    expect((await fetch(`${listener.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('with GITLORE_METRICS_TOKEN set, answers only a scrape that shows it', async () => {
    const { listener } = await start({ token: TOKEN });
    expect((await fetch(`${listener.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${listener.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-123' } })).status).toBe(401);
    const ok = await fetch(`${listener.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('gitlore_worker_slots 2');
  });

  it('refuses a non-loopback address without a token, and a port in use, naming the setting', async () => {
    const refused = await start({ host: '0.0.0.0' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GitloreError);
    expect((refused as GitloreError).code).toBe('CONFIG_INVALID');
    expect((refused as GitloreError).hint).toContain('GITLORE_METRICS_TOKEN');
    const { listener } = await start();
    const port = Number(new URL(listener.url).port);
    const busy = await start({ port }).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(GitloreError);
    expect((busy as GitloreError).message).toContain('EADDRINUSE');
    expect((busy as GitloreError).hint).toContain('GITLORE_WORKER_METRICS_PORT');
  });
});
