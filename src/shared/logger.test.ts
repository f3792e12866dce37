import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { registerSecret } from './redact.js';

describe('createLogger', () => {
  const capture = (json: boolean) => {
    const lines: string[] = [];
    const log = createLogger('gitlore', { json, level: 'debug', write: (line) => lines.push(line) });
    return { log, lines };
  };

  it('writes one JSON object a line with time, level, tag, msg and the fields', () => {
    const { log, lines } = capture(true);
    log.child('http').warn('slow request', { ms: 12.5, route: '/api/search', msg: 'not the message' });
    log.debug('second line');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0] as string);
    expect(Object.keys(first).slice(0, 4)).toEqual(['time', 'level', 'tag', 'msg']);
    expect(first).toMatchObject({ level: 'warn', tag: 'gitlore:http', msg: 'slow request', ms: 12.5, route: '/api/search' });
    expect(Number.isNaN(Date.parse(first.time))).toBe(false);
    expect(JSON.parse(lines[1] as string)).toMatchObject({ level: 'debug', msg: 'second line' });
  });

  it('redacts secrets in JSON lines as in text lines, also where JSON would escape them', () => {
    const quoted = 'pa"ss\\word-4242';
    registerSecret('s3cretvalue-json-test');
    registerSecret(quoted);
    for (const json of [false, true]) {
      const { log, lines } = capture(json);
      log.info('cloning https://user:s3cretvalue-json-test@github.com/acme/x.git', {
        token: 'ghp_abcdefghijklmnopqrstuvwxyz0123',
        nested: { password: quoted, list: ['s3cretvalue-json-test'] },
        error: new Error(`Authorization: Bearer s3cretvalue-json-test`),
      });
      const line = lines[0] as string;
      expect(line).not.toContain('s3cretvalue-json-test');
      expect(line).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123');
      expect(line).not.toContain('ss\\word');
      expect(line).not.toContain('ss\\\\word');
      if (json) {
        const entry = JSON.parse(line);
        expect(entry.msg).toBe('cloning https://***@github.com/acme/x.git');
        expect(entry.nested).toEqual({ password: '***', list: ['***'] });
        expect(entry.token).toBe('***');
      }
    }
  });

  it('writes text lines by default', () => {
    const lines: string[] = [];
    createLogger('gitlore', { write: (line) => lines.push(line) }).warn('careful', { n: 1 });
    expect(lines).toEqual(['[gitlore] warn: careful n=1']);
  });
});
