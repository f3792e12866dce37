/** The product itself, in process: registers the trees as local repos in a temp data dir, indexes, searches. */
import type { SearchSystem } from './candidates.js';
export async function gitloreSystem(
  mode: string,
  _trees: { name: string; dir: string }[],
  _tag: string,
  _log: (m: string) => void,
): Promise<SearchSystem> {
  throw new Error(`gitlore:${mode} is not wired yet`);
}
