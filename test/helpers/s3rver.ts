import { createRequire } from 'node:module';
import { join } from 'node:path';

/** s3rver (an S3-compatible server package) on loopback, for the real AWS SDK to talk to. */
interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: Record<string, unknown>) => S3rverServer;

const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_CA_BUNDLE', 'AWS_PROFILE', 'AWS_SESSION_TOKEN'];

export interface LocalS3 {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL_S3. */
  endpoint: string;
  /** Stops the server and puts the process's AWS variables back. */
  close(): Promise<void>;
}

/**
 * Starts s3rver with `bucket` under `root/s3`. The SDK's credential chain reads the process environment (not the
 * CLI's), so this sets s3rver's fixed key pair there until close(); a CA bundle or profile set on the machine would
 * make the SDK load it for a plain-HTTP endpoint too, so those are cleared meanwhile.
 */
export async function startLocalS3(root: string, bucket: string): Promise<LocalS3> {
  const saved = Object.fromEntries(CREDENTIAL_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of CREDENTIAL_VARIABLES) delete process.env[name];
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(root, 's3'),
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      await server.close();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}
