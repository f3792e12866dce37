import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { stripUrlCredentials } from '../../shared/urlCredentials.js';

/** pg_dump / pg_restore: from `binDir` (GITLORE_PG_BIN) when given, else from PATH. */
function tool(name: 'pg_dump' | 'pg_restore', binDir: string | undefined): string {
  if (!binDir) return name;
  const path = join(binDir, name);
  if (!existsSync(path)) {
    throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `GITLORE_PG_BIN=${binDir} holds no ${name}.`, {
      hint: 'Set GITLORE_PG_BIN to the folder of the PostgreSQL client tools (e.g. /usr/lib/postgresql/15/bin), or unset it to use PATH.',
    });
  }
  return path;
}

function run(command: string, args: string[], signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], signal });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 8192) stderr += String(chunk);
    });
    child.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        reject(
          new GitloreError(ERROR_CODES.NOT_CONFIGURED, `${command} was not found.`, {
            hint: 'Install the PostgreSQL client tools (apt install postgresql-client) or set GITLORE_PG_BIN to their folder.',
          }),
        );
      else reject(error);
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else {
        const line = stderr.trim().split('\n').at(-1) ?? '';
        reject(new GitloreError(ERROR_CODES.STORE_CORRUPT, `${command} failed (exit ${code}): ${stripUrlCredentials(line)}`));
      }
    });
  });
}

/**
 * A consistent snapshot of the database in pg_dump's custom format (compressed, restorable table by table):
 * pg_dump reads everything in one repeatable-read transaction, so writers keep going.
 */
export function dumpPostgres(url: string, destFile: string, options: { binDir?: string; signal?: AbortSignal } = {}): Promise<void> {
  return run(
    tool('pg_dump', options.binDir),
    ['--format=custom', '--no-owner', '--no-privileges', `--file=${destFile}`, `--dbname=${url}`],
    options.signal,
  );
}

/** Refuses a database that already holds tables: a restore goes into a new, empty one. */
export async function assertEmptyPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    );
    if ((rows[0] as { n: number }).n > 0) {
      throw new GitloreError(ERROR_CODES.BACKUP_INVALID, `Cannot restore into ${stripUrlCredentials(url)}: the database is not empty.`, {
        hint: 'Create a new database (createdb) and point DATABASE_URL at it, or drop this one first.',
      });
    }
  } finally {
    await client.end();
  }
}

/** Restores a dump into an empty database, in one transaction: on failure nothing of it stays. */
export async function restorePostgres(
  url: string,
  dumpFile: string,
  options: { binDir?: string; signal?: AbortSignal } = {},
): Promise<void> {
  await assertEmptyPostgres(url);
  await run(
    tool('pg_restore', options.binDir),
    ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${url}`, dumpFile],
    options.signal,
  );
}
