import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

let cluster: TestPostgres;
let client: pg.Client;

beforeAll(async () => {
  cluster = await startPostgres();
  client = new pg.Client({ connectionString: await cluster.createDatabase() });
  await client.connect();
}, 120_000);

afterAll(async () => {
  await client?.end();
  await cluster?.stop();
});

describe('the test PostgreSQL cluster', () => {
  it('listens on loopback only, and has pgvector with HNSW and cosine distance', async () => {
    expect(cluster.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect((await client.query('SHOW listen_addresses')).rows[0].listen_addresses).toBe('127.0.0.1');
    await client.query('CREATE EXTENSION vector');
    await client.query('CREATE TABLE chunks (id int PRIMARY KEY, embedding vector(3))');
    await client.query(`INSERT INTO chunks VALUES (1, '[1,0,0]'), (2, '[0.9,0.1,0]'), (3, '[0,0,1]')`);
    await client.query('CREATE INDEX ON chunks USING hnsw (embedding vector_cosine_ops)');
    const nearest = await client.query(`SELECT id FROM chunks ORDER BY embedding <=> '[1,0.05,0]' LIMIT 2`);
    expect(nearest.rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it('has pg_trgm and full-text search, which the lexical and regex indexes need', async () => {
    await client.query('CREATE EXTENSION pg_trgm');
    const similar = await client.query(`SELECT similarity('parseConfig', 'parse_config') > 0.3 AS close`);
    expect(similar.rows[0].close).toBe(true);
    const fts = await client.query(
      `SELECT to_tsvector('simple', 'retry with backoff') @@ websearch_to_tsquery('simple', 'backoff') AS hit`,
    );
    expect(fts.rows[0].hit).toBe(true);
  });
});
