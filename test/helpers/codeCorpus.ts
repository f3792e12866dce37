import { rng } from './random.js';

/** `size` documented functions over a small vocabulary, so tokens repeat and co-occur; `seed` gives another corpus. */
export function documentedFunctions(size: number, seed = 11): string[] {
  const rand = rng(seed);
  const words = 'parse request header cookie resize image hash password retry network render markdown merge list schedule job'.split(' ');
  const pick = () => words[Math.floor((rand() + 0.5) * words.length)];
  return Array.from(
    { length: size },
    (_, i) => `/** ${pick()} the ${pick()} ${pick()} */\nfunction ${pick()}${i}() { return ${pick()}(${pick()}); }`,
  );
}
