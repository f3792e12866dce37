import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { type GitCredentials, gitEnv } from './env.js';

/** What `git cat-file --batch-check` says of an object: its id, type and size in bytes. */
export interface ObjectInfo {
  oid: string;
  /** `blob`, `tree`, `commit` or `tag`. */
  type: string;
  size: number;
}

interface Waiter {
  resolve: (answer: { info: ObjectInfo; body: Buffer | null } | null) => void;
  reject: (e: Error) => void;
  /** Settled already (its signal aborted): the answer is read and dropped. */
  done?: boolean;
}

/**
 * One long-lived `git cat-file --batch` (objects with their bytes) or `--batch-check` (type and
 * size only). Requests are pipelined: many can be in flight, answers come back in order. The process
 * holds the event loop only while a request is in flight, so an idle one never keeps Node running.
 */
class CatFile {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiting: Waiter[] = [];
  failed: Error | null = null;

  get busy(): boolean {
    return this.waiting.length > 0;
  }

  constructor(
    cwd: string,
    private readonly mode: 'batch' | 'batch-check',
    credentials: GitCredentials | null | undefined,
  ) {
    this.child = spawn('git', ['cat-file', `--${mode}`], { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: gitEnv(credentials) });
    this.child.stdout.on('data', (d: Buffer) => {
      this.buffer = this.buffer.length === 0 ? d : Buffer.concat([this.buffer, d]);
      this.drain();
    });
    this.child.stderr.resume();
    this.child.stdin.on('error', (e) => this.fail(e));
    this.child.on('error', (e) => this.fail(e));
    this.child.on('close', () => this.fail(new GitloreError(ERROR_CODES.GIT_FAILED, 'git cat-file exited')));
    this.hold(false);
  }

  /** Keeps Node running while answers are owed, and lets it exit when none are. */
  private hold(on: boolean): void {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as { ref?(): void; unref?(): void }[]) {
      if (on) handle.ref?.();
      else handle.unref?.();
    }
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const w of this.waiting.splice(0)) if (!w.done) w.reject(error);
    this.hold(false);
  }

  private drain(): void {
    while (this.waiting.length > 0) {
      const nl = this.buffer.indexOf(10);
      if (nl === -1) return;
      const header = this.buffer.subarray(0, nl).toString();
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(nl + 1);
        this.settle(null);
        continue;
      }
      const [oid = '', type = '', size = '0'] = header.split(' ');
      const info = { oid, type, size: Number(size) };
      if (this.mode === 'batch-check') {
        this.buffer = this.buffer.subarray(nl + 1);
        this.settle({ info, body: null });
        continue;
      }
      if (this.buffer.length < nl + 1 + info.size + 1) return;
      const body = Buffer.from(this.buffer.subarray(nl + 1, nl + 1 + info.size));
      this.buffer = this.buffer.subarray(nl + 1 + info.size + 1);
      this.settle({ info, body });
    }
  }

  private settle(answer: { info: ObjectInfo; body: Buffer | null } | null): void {
    const w = this.waiting.shift();
    if (this.waiting.length === 0) this.hold(false);
    if (w && !w.done) w.resolve(answer);
  }

  /** The object `name` names (an id, `HEAD^{commit}`, `<commit>:<path>`), or null when there is none. */
  request(name: string, signal?: AbortSignal): Promise<{ info: ObjectInfo; body: Buffer | null } | null> {
    if (this.failed) return Promise.reject(this.failed);
    // cat-file reads one name per line: a name with a line break cannot be asked for (nor exist).
    if (/[\n\r\0]/.test(name)) return Promise.resolve(null);
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const onAbort = () => waiter.reject(signal?.reason);
      const waiter: Waiter = {
        resolve: (answer) => {
          waiter.done = true;
          signal?.removeEventListener('abort', onAbort);
          resolve(answer);
        },
        reject: (error) => {
          waiter.done = true;
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.waiting.length === 0) this.hold(true);
      this.waiting.push(waiter);
      this.child.stdin.write(`${name}\n`);
    });
  }

  close(): void {
    this.failed ??= new Error('closed');
    for (const w of this.waiting.splice(0)) if (!w.done) w.reject(this.failed);
    this.child.stdin.end();
    this.child.kill();
  }
}

/**
 * Reads objects of one repository through long-lived `git cat-file` processes: `--batch` for bytes,
 * and, started on first use, `--batch-check` for an object's type and size without its bytes. Each
 * git process started costs a fork of the whole address space (~10-30 ms of the main thread at
 * 300-700 MB); a request to a running one costs well under a millisecond. The names are resolved
 * when asked, so a reader sees the refs and objects a later fetch brings.
 */
export class BlobReader {
  private readonly contents: CatFile;
  private check: CatFile | null = null;
  private readonly cwd: string;
  private readonly credentials: GitCredentials | null | undefined;

  /** `credentials`: the token for the clone's remote, for blobs a partial clone fetches on demand. */
  constructor(cwd: string, options: { credentials?: GitCredentials | null } = {}) {
    this.cwd = cwd;
    this.credentials = options.credentials;
    this.contents = new CatFile(cwd, 'batch', this.credentials);
  }

  /** True once a process of this reader has failed or it was closed: make a new reader. */
  get failed(): boolean {
    return Boolean(this.contents.failed ?? this.check?.failed);
  }

  /** Answers are owed: a request is in flight. */
  get busy(): boolean {
    return this.contents.busy || Boolean(this.check?.busy);
  }

  /** A blob's bytes, or null when the object does not exist. */
  async read(blob: string, signal?: AbortSignal): Promise<Buffer | null> {
    return (await this.contents.request(blob, signal))?.body ?? null;
  }

  /** The commit HEAD points at, or null for an empty repository (an unborn branch). */
  async headCommit(): Promise<string | null> {
    return (await this.contents.request('HEAD^{commit}'))?.info.oid ?? null;
  }

  /** The id, type and size of the object `name` names (`main^{commit}`, `<commit>:<path>`), without reading it; null when none. */
  async info(name: string, signal?: AbortSignal): Promise<ObjectInfo | null> {
    this.check ??= new CatFile(this.cwd, 'batch-check', this.credentials);
    return (await this.check.request(name, signal))?.info ?? null;
  }

  close(): void {
    this.contents.close();
    this.check?.close();
  }
}
