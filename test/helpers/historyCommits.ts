import { createHash } from 'node:crypto';
import type { FileStatus, HistoryCommitInput, HistoryFileInput } from '../../src/store/index.js';
import { rng } from './random.js';

export type SeqCommit = HistoryCommitInput & { seq: number };

/** Unix seconds of an ISO time. */
export const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export const hashOf = (label: string) => createHash('sha1').update(label).digest('hex');

const person = (who: string): { name: string; email: string } => {
  const match = /^(.*) <(.*)>$/.exec(who);
  if (!match) throw new Error(`not "Name <email>": ${who}`);
  return { name: match[1] as string, email: match[2] as string };
};

/** A commit with the given author (`Name <email>`, also its committer), time, offset and files (`A path`, `R old new`). */
export function commit(
  seq: number,
  who: string,
  iso: string,
  message: string,
  files: string[] = [],
  extra: { hash?: string; parents?: string[]; tz?: number } = {},
): SeqCommit {
  const { name, email } = person(who);
  const [subject, ...rest] = message.split('\n\n');
  return {
    seq,
    hash: extra.hash ?? hashOf(`commit ${seq}`),
    parents: extra.parents ?? (seq > 1 ? [hashOf(`commit ${seq - 1}`)] : []),
    authorName: name,
    authorEmail: email,
    authorTime: at(iso),
    authorTz: extra.tz ?? 0,
    committerName: name,
    committerEmail: email,
    committerTime: at(iso) + 60,
    committerTz: extra.tz ?? 0,
    subject: subject ?? '',
    body: rest.join('\n\n'),
    files: files.map((f): HistoryFileInput => {
      const [status, path, newPath] = f.split(' ') as [FileStatus, string, string | undefined];
      return newPath === undefined ? { status, path, oldPath: null } : { status, path: newPath, oldPath: path };
    }),
  };
}

const WORDS = [
  'fix',
  'fixes',
  'parser',
  'Parser',
  'café',
  'cafe',
  'CAFÉ',
  'naïve',
  'straße',
  'über',
  'Über',
  '日本語',
  'テスト',
  'ǖber',
  'x\u19b0y',
  'x',
  'y',
  'src/main.ts',
  'v1.2.3',
  'e-mail',
  'user@example.com',
  '100%',
  'under_score',
  "don't",
  'ﬁle',
  'Ⅻ',
  '²',
  'ΣΊΣΥΦΟΣ',
  'σίσυφος',
  'İstanbul',
  'istanbul',
];

const PEOPLE = [
  'Alice Anders <alice@example.com>',
  'alice <alice@old.example.com>',
  'Bob Brown <bob@example.com>',
  'ÉMILE Zola <emile@example.com>',
  'émile zola <emile@example.com>',
  'Chen Wei <chen@example.com>',
  'under_score <u_s@example.com>',
];
const ZONES = [0, 60, -420, 330, 545, -150, 840, -720];
const DIRS = ['src', 'src/lib', 'src-old', 'src.d', 'docs', 'Docs', 'lib', 'src/é', 'test'];

/**
 * A history of `count` commits in `git log` order (seq 1 oldest): several authors and time zones, two roots,
 * merges (no files), renames and copies, edits, deletes, and messages mixing cases, diacritics, scripts and
 * punctuation. Deterministic for a seed.
 */
export function generateHistory(count: number, seed = 7): SeqCommit[] {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor((random() + 0.5) * list.length)] as T;
  const live: string[] = [];
  const out: SeqCommit[] = [];
  let time = at('2023-06-01T08:00:00Z');
  for (let seq = 1; seq <= count; seq++) {
    time += Math.floor((random() + 0.5) * 3 * 86400);
    const kind = random() + 0.5;
    const previous = out[out.length - 1]?.hash;
    const words = Array.from({ length: 2 + Math.floor((random() + 0.5) * 6) }, () => pick(WORDS));
    const bodyWords = random() < 0 ? Array.from({ length: 5 }, () => pick(WORDS)).join(' ') : '';
    const message = `${words.join(' ')}${bodyWords ? `\n\n${bodyWords}` : ''}`;
    const iso = new Date(time * 1000).toISOString();
    const extra = { hash: hashOf(`generated ${seed} ${seq}`), tz: pick(ZONES) };
    if (seq > 10 && kind < 0.08) {
      out.push(commit(seq, pick(PEOPLE), iso, message, [], { ...extra, parents: [previous as string, out[seq - 5]?.hash as string] }));
      continue;
    }
    const files: string[] = [];
    const touched = new Set<string>();
    for (let i = 0; i < 1 + Math.floor((random() + 0.5) * 3); i++) {
      const roll = random() + 0.5;
      if (live.length > 0 && roll < 0.15) {
        const from = pick(live);
        const to = `${pick(DIRS)}/moved${seq}_${i}.ts`;
        if (touched.has(from) || touched.has(to)) continue;
        files.push(`${roll < 0.12 ? 'R' : 'C'} ${from} ${to}`);
        if (roll < 0.12) live.splice(live.indexOf(from), 1);
        live.push(to);
        touched.add(from).add(to);
      } else if (live.length > 0 && roll < 0.6) {
        const path = pick(live);
        if (touched.has(path)) continue;
        files.push(`${roll < 0.2 ? 'D' : 'M'} ${path}`);
        if (roll < 0.2) live.splice(live.indexOf(path), 1);
        touched.add(path);
      } else {
        const path = `${pick(DIRS)}/f${seq}_${i}.ts`;
        files.push(`A ${path}`);
        live.push(path);
        touched.add(path);
      }
    }
    const root = seq === 1 || seq === Math.floor(count / 3);
    out.push(commit(seq, pick(PEOPLE), iso, message, files, { ...extra, parents: root || !previous ? [] : [previous] }));
  }
  return out;
}
