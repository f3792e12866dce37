/** Sentences far apart in meaning, so a semantic search for one finds its own file first. */
export const TOPICS: readonly string[] = [
  'parse the http request header and cookie values',
  'resize the thumbnail image with bilinear sampling',
  'hash the password with a random salt and pepper',
  'retry the failed network call with exponential backoff',
  'render the markdown heading as an html anchor',
  'merge two sorted linked lists into one',
  'schedule the cron job at the next minute boundary',
  'compress the log archive with gzip streams',
  'validate the email address against the domain list',
  'encode the video frame as a jpeg thumbnail',
];

/** One documented TypeScript function per topic, in `src/<prefix><i>.ts`. */
export function topicFiles(topics: readonly string[], prefix = 'topic'): Record<string, string> {
  return Object.fromEntries(
    topics.map((topic, i) => [
      `src/${prefix}${i}.ts`,
      `/** ${topic} */\nexport function ${prefix}${i}(input: string) {\n  return input; // ${topic}\n}\n`,
    ]),
  );
}
