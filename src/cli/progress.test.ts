import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

/** A stream that records what is written, claiming to be a terminal or not. */
function recorder(isTTY: boolean) {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number };
  stream.isTTY = isTTY;
  stream.columns = 120;
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

// The product treats CI=true as "not a terminal"; these tests pick the kind of stream themselves.
let savedCi: string | undefined;
beforeEach(() => {
  savedCi = process.env.CI;
  delete process.env.CI;
});
afterEach(() => {
  if (savedCi === undefined) delete process.env.CI;
  else process.env.CI = savedCi;
});

describe('createProgress', () => {
  it('draws a live bar on a terminal, with the current step beside the count', async () => {
    const out = recorder(true);
    const progress = createProgress({ stream: out.stream });
    expect(progress.live).toBe(true);
    progress.start(3, 'index');
    progress.detail('koa 15/108 files');
    await new Promise((resolve) => setTimeout(resolve, 300)); // the bar redraws at most 10 times a second
    expect(out.text()).toMatch(/index \[[^\]]*\] 0\/3 koa 15\/108 files/);
    progress.tick('koa indexed');
    progress.stop();
    expect(out.text()).toMatch(/index \[[^\]]*\] 1\/3 koa indexed/);
  });

  it('writes plain lines elsewhere: one per step, no bar and no details', () => {
    const out = recorder(false);
    const progress = createProgress({ stream: out.stream });
    expect(progress.live).toBe(false);
    progress.start(2, 'index');
    progress.detail('koa 15/108 files');
    progress.tick('koa indexed');
    progress.note('koa failed: boom');
    progress.stop();
    expect(out.text()).toBe('index 1/2 koa indexed\nkoa failed: boom\n');
  });

  it('is silent when quiet', () => {
    const out = recorder(true);
    const progress = createProgress({ quiet: true, stream: out.stream });
    progress.start(1, 'index');
    progress.tick('x');
    progress.stop();
    expect(out.text()).toBe('');
  });
});
