import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { isWellFormedSignature, MAX_WEBHOOK_BYTES, type PushEvent, readSignedBody, tooLarge } from '../webhook.js';
import { type RouteDeps, requireJobs } from './deps.js';
import type { Routes } from './route.js';

/**
 * GitHub push webhooks: the body is read raw, because the signature covers its exact bytes. A missing or
 * malformed signature header is refused before any body byte is read, and the body is streamed under GitHub's cap.
 */
export function registerWebhookRoutes(routes: Routes, deps: RouteDeps): void {
  const { app } = deps;
  routes.add(
    {
      method: 'post',
      path: '/webhooks/github',
      summary: 'GitHub push webhook; HMAC-SHA256 verified with GITHUB_WEBHOOK_SECRET (X-Hub-Signature-256); no token needed',
      response: { status: 202, description: 'Sync of the pushed repository queued' },
    },
    async (c) => {
      const secret = app.config.webhookSecret;
      if (!secret) {
        throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Webhooks are off: GITHUB_WEBHOOK_SECRET is not set.', {
          hint: 'Set GITHUB_WEBHOOK_SECRET to the secret configured on the GitHub webhook.',
        });
      }
      const signature = c.req.header('x-hub-signature-256');
      if (!isWellFormedSignature(signature)) throw badSignature('The webhook has no valid X-Hub-Signature-256 header.');
      if (Number(c.req.header('content-length') ?? 0) > MAX_WEBHOOK_BYTES) throw tooLarge(MAX_WEBHOOK_BYTES);
      const { raw: bytes, verified } = await readSignedBody(c.req.raw.body, secret, signature);
      if (!verified) throw badSignature('The webhook signature does not match.');
      const raw = bytes.toString('utf8');
      const event = c.req.header('x-github-event') ?? '';
      if (event === 'ping') return c.json({ ok: true, event });
      if (event !== 'push') return c.json({ queued: false, event, reason: 'only push events trigger a sync' }, 202);
      let payload: PushEvent;
      try {
        payload = JSON.parse(raw) as PushEvent;
      } catch {
        throw new GitloreError(ERROR_CODES.QUERY_INVALID, 'Malformed JSON in the webhook payload.');
      }
      const fullName = payload.repository?.full_name?.toLowerCase();
      const shortName = payload.repository?.name;
      const repos = await app.store.repos.list();
      const repo = repos.find((r) => fullName && r.fullName.toLowerCase() === fullName) ?? repos.find((r) => r.name === shortName);
      if (!repo) {
        throw new GitloreError(
          ERROR_CODES.REPO_NOT_FOUND,
          `The pushed repository ${payload.repository?.full_name ?? '(unnamed)'} is not registered here.`,
          { hint: 'Add it with `gitlore repo add` or a configured source, then run `gitlore sync`.' },
        );
      }
      const job = await requireJobs(deps).enqueue({ kind: 'repo', name: repo.name }, 'webhook');
      return c.json({ queued: true, job }, 202);
    },
  );
}

function badSignature(message: string): GitloreError {
  return new GitloreError(ERROR_CODES.UNAUTHORIZED, message, {
    hint: 'Check that GITHUB_WEBHOOK_SECRET equals the secret on the GitHub webhook (X-Hub-Signature-256).',
  });
}
