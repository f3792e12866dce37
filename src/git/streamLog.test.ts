import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitFiles, makeRepo, tempDir } from '../../test/helpers/git.js';
import { streamLog } from './index.js';

describe('streamLog', () => {
  it('streams a git command’s output, with revisions given on stdin', async () => {
    const dir = join(tempDir(), 'r');
    const a = makeRepo(dir, { a: '1' });
    const b = commitFiles(dir, { a: '2' }, 'two');
    const chunks: Buffer[] = [];
    for await (const chunk of streamLog(['log', '--no-walk=unsorted', '--stdin', '--format=%H %s'], { cwd: dir, stdinLines: [a, b] })) {
      chunks.push(chunk);
    }
    expect(Buffer.concat(chunks).toString()).toBe(`${a} initial\n${b} two\n`);
  });

  it('fails with GIT_FAILED naming the subcommand, and stops when aborted', async () => {
    const dir = join(tempDir(), 'r');
    makeRepo(dir, { a: '1' });
    const drain = async (args: string[], signal?: AbortSignal) => {
      for await (const _ of streamLog(args, { cwd: dir, signal })) {
        // drain
      }
    };
    await expect(drain(['log', 'no-such-ref', '--'])).rejects.toMatchObject({
      code: 'GIT_FAILED',
      message: /^`git log .*no-such-ref.*` in .* failed: /,
    });
    await expect(drain(['log'], AbortSignal.abort())).rejects.toThrow();
  });
});
