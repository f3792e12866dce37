import type { IndexFilter, LexicalQuery } from '../indexStore.js';
import { lexicalTerms } from '../lexicalTerms.js';
import type { PgDb } from './database.js';
import { filterSql, liveRowsSql, SqlParams } from './indexShared.js';

/** FTS5's bm25() constants (fts5_aux.c). */
const K1 = 1.2;
const B = 0.75;
/** FTS5's floor for the IDF of a term in more than half the rows. */
const MIN_IDF = 1e-6;

/**
 * `IndexStore.lexical` on PostgreSQL: SQLite FTS5's bm25() over the same terms, computed from index_postings.
 * For each query term: idf = ln((N - n + 0.5) / (n + 0.5)) (at least 1e-6), N the chunks of the whole index and
 * n those holding the term (counted on the postings' primary key, an index-only range scan); each chunk holding
 * it adds idf · f·(k1+1) / (f + k1·(1 - b + b·D/avgdl)), f the term's count in each field times the field's
 * weight, D the chunk's terms, avgdl the mean over the index (index_lexicon). Best (lowest) first; equal
 * scores by chunk id, as FTS5 returns them (scores are compared to 1e-9: the sum's order, which the plan decides,
 * moves the last bits). Every statistic covers the whole index, as FTS5's do, whatever the filter.
 *
 * A term is one word here: one that the tokenizer splits (never made by `queryTerms`) counts as its words, where
 * FTS5 would look for the phrase.
 */
export async function lexicalSearch(db: PgDb, query: LexicalQuery, filter: IndexFilter, limit: number) {
  const terms = query.terms.flatMap((t) => lexicalTerms(t.replaceAll('"', '')));
  if (terms.length === 0) return [];
  const params = new SqlParams();
  const weights = query.fieldWeights;
  const termList = params.add(terms);
  const f = `(p.tf_symbol * ${params.add(weights.symbol)}::float8 + p.tf_path * ${params.add(weights.path)}::float8
    + p.tf_doc * ${params.add(weights.doc)}::float8 + p.tf_body * ${params.add(weights.body)}::float8)`;
  let where = '';
  if (filter.repoIds && filter.repoIds.length > 0) where += ` AND p.repo_id = ANY(${params.add(filter.repoIds)}::int[])`;
  // Languages and rows of a rebuild in progress are told apart through the chunk's file; otherwise the postings suffice.
  let joins = '';
  const live = await liveRowsSql(db.pool, 'f', params);
  const languages = filterSql({ languages: filter.languages }, '', 'f.language', params);
  if (live || languages) {
    joins = ' JOIN index_chunks c ON c.id = p.chunk_id JOIN index_files f ON f.id = c.file_id';
    where += live + languages;
  }
  const sql = `
    WITH st AS MATERIALIZED (
      SELECT coalesce(sum(chunks), 0)::float8 AS n, coalesce(sum(tokens), 0)::float8 / greatest(coalesce(sum(chunks), 0), 1)::float8 AS avgdl
      FROM index_lexicon
    ), q AS MATERIALIZED (
      SELECT t.term, count(*)::float8 AS times FROM unnest(${termList}::text[]) AS t(term) GROUP BY t.term
    ), w AS MATERIALIZED (
      SELECT q.term, q.times * (CASE WHEN x.idf > 0 THEN x.idf ELSE ${MIN_IDF}::float8 END) AS idf
      FROM q CROSS JOIN st,
        LATERAL (SELECT count(*)::float8 AS n FROM index_postings d WHERE d.term = q.term) df,
        LATERAL (SELECT ln((st.n - df.n + 0.5::float8) / (df.n + 0.5::float8)) AS idf) x
    )
    SELECT "chunkId", score FROM (
      SELECT p.chunk_id AS "chunkId",
        -sum(w.idf * ((${f} * ${K1 + 1}::float8) / (${f} + ${K1}::float8 * (${1 - B}::float8 + ${B}::float8 * p.tokens / st.avgdl)))) AS score
      FROM w JOIN index_postings p ON p.term = w.term CROSS JOIN st${joins}
      WHERE true${where}
      GROUP BY p.chunk_id
    ) s ORDER BY round(score * 1e9), "chunkId" LIMIT ${params.add(limit)}`;
  return db.rows<{ chunkId: number; score: number }>(sql, params.values);
}
