import { describe, expect, it } from 'vitest';
import { screenRows } from '../../test/helpers/terminal.js';
import { createTerminal } from './progress.js';

/** A stream that records what is written, claiming to be a terminal or not. */
function recorder(isTTY: boolean) {
  let text = '';
  const stream = {
    isTTY,
    columns: 120,
    write(chunk: string) {
      text += chunk;
      return true;
    },
  };
  return { stream, text: () => text };
}

describe('createTerminal', () => {
  it('draws a live bar on a terminal, with the current step beside the count', async () => {
    const out = recorder(true);
    const progress = createTerminal(out.stream).progress();
    expect(progress.live).toBe(true);
    progress.start(3, 'index');
    progress.detail('koa 15/108 files');
    await new Promise((resolve) => setTimeout(resolve, 300)); // the bar redraws at most 10 times a second
    expect(out.text()).toMatch(/index \[[^\]]*\] 0\/3 koa 15\/108 files/);
    progress.tick('koa indexed');
    progress.stop();
    expect(screenRows(out.text())).toEqual([expect.stringMatching(/^index \[█{10}░{20}\] 1\/3 koa indexed$/), '']);
  });

  it('prints log lines above the live bar and draws the bar again below them', () => {
    const out = recorder(true);
    const terminal = createTerminal(out.stream);
    const progress = terminal.progress();
    progress.start(2, 'index');
    progress.tick('koa indexed');
    terminal.line('[gitlore:index] warn: history ingestion failed repo=koa');
    terminal.line('[gitlore:index] second line');
    expect(screenRows(out.text())).toEqual([
      '[gitlore:index] warn: history ingestion failed repo=koa',
      '[gitlore:index] second line',
      expect.stringMatching(/^index \[.*\] 1\/2 koa indexed$/),
    ]);
    progress.stop();
    terminal.line('after the bar');
    expect(screenRows(out.text()).slice(2)).toEqual([expect.stringMatching(/^index .* 1\/2 koa indexed$/), 'after the bar', '']);
  });

  it('names a phase without a count with its elapsed time, and keeps the finished bar above it', () => {
    const out = recorder(true);
    const progress = createTerminal(out.stream).progress();
    progress.start(1, 'index');
    progress.tick('koa indexed');
    progress.start(0, 'learning code vectors from 1200 chunks…');
    progress.start(0, 'embedding chunks…');
    progress.detail('300 done');
    progress.stop();
    expect(screenRows(out.text())).toEqual([
      expect.stringMatching(/^index \[█{30}\] 1\/1 koa indexed$/),
      'learning code vectors from 1200 chunks… 0s',
      'embedding chunks… 300 done 0s',
      '',
    ]);
  });

  it('cuts a line to the terminal width so a redraw never leaves wrapped rows behind', () => {
    const out = recorder(true);
    const progress = createTerminal(out.stream).progress();
    progress.start(0, 'x'.repeat(500));
    progress.stop();
    expect(screenRows(out.text())[0]).toHaveLength(119);
    // A pseudo-terminal that reports 0 columns gets the usual 80.
    const pty = recorder(true);
    Object.assign(pty.stream, { columns: 0 });
    const bar = createTerminal(pty.stream).progress();
    bar.start(0, 'x'.repeat(500));
    bar.stop();
    expect(screenRows(pty.text())[0]).toHaveLength(79);
  });

  it('writes plain lines elsewhere: one per step and phase, no bar, no details, no control characters', () => {
    const out = recorder(false);
    const terminal = createTerminal(out.stream);
    const progress = terminal.progress();
    expect(progress.live).toBe(false);
    progress.start(2, 'index');
    progress.detail('koa 15/108 files');
    progress.tick('koa indexed');
    progress.note('koa failed: boom');
    progress.start(0, 'embedding chunks…');
    terminal.line('[gitlore] a log line');
    progress.stop();
    expect(out.text()).toBe('index 1/2 koa indexed\nkoa failed: boom\nembedding chunks…\n[gitlore] a log line\n');
  });

  it('treats CI as not a terminal', () => {
    const out = recorder(true);
    expect(createTerminal(out.stream, { env: { CI: 'true' } }).progress().live).toBe(false);
  });

  it('is silent when quiet, but still prints log lines (warnings pass --quiet)', () => {
    const out = recorder(true);
    const terminal = createTerminal(out.stream, { quiet: true });
    const progress = terminal.progress();
    progress.start(1, 'index');
    progress.tick('x');
    progress.stop();
    terminal.line('[gitlore] warn: w');
    expect(out.text()).toBe('[gitlore] warn: w\n');
  });
});
