/** vitest globalSetup: builds web/dist once per run, so page and browser tests work from a clean clone. */
export default async function setup(): Promise<void> {
  // @ts-expect-error: a plain .mjs build script without type declarations
  const { buildWeb } = (await import('../../scripts/buildWeb.mjs')) as { buildWeb: (o: { quiet: boolean }) => Promise<unknown> };
  await buildWeb({ quiet: true });
}
