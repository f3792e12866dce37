import type { ChildProcess } from 'node:child_process';

/** A spawned `gitlore serve`: its address once it prints `serving on …`, and what it wrote to stderr so far. */
export interface ServeOutput {
  url: Promise<string>;
  stderr: () => string;
}

/** Reads the address a spawned `gitlore serve --port 0` prints; rejects with its stderr when it exits first. */
export function watchServe(child: ChildProcess): ServeOutput {
  let err = '';
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
      const match = /serving on (http:\/\/\S+?) /.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  return { url, stderr: () => err };
}
