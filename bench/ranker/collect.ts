/**
 * Candidates with ranker features for a set of queries over an eval index: what the engine sees before
 * it orders the candidates. Shared by the ranker experiments and the fixed model's training.
 */
import type { App } from '../../src/core/app.js';
import { type RankedCandidate, rankerCandidates } from '../../src/search/repositoryRanker/trainingGroups.js';

export type Candidate = RankedCandidate;

export interface CollectedQuery {
  repo: string;
  query: string;
  candidates: Candidate[];
}

export async function collect(app: App, repoIds: Map<string, number>, rows: { repo: string; query: string }[]): Promise<CollectedQuery[]> {
  const out: CollectedQuery[] = [];
  const deps = { store: app.store, embedder: app.embedder };
  for (const row of rows)
    out.push({ repo: row.repo, query: row.query, candidates: await rankerCandidates(deps, repoIds.get(row.repo)!, row.query) });
  return out;
}
