import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { type PushEvent, verifyGithubSignature } from '../webhook.js';
import { type RouteDeps, requireJobs } from './deps.js';
import type { Routes } from './route.js';

/** GitHub push webhooks: the body is read raw, because the signature covers its exact bytes. */
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
      const raw = await c.req.text();
      if (!verifyGithubSignature(secret, raw, c.req.header('x-hub-signature-256'))) {
        throw new GitloreError(ERROR_CODES.UNAUTHORIZED, 'The webhook signature does not match.', {
          hint: 'Check that GITHUB_WEBHOOK_SECRET equals the secret on the GitHub webhook (X-Hub-Signature-256).',
        });
      }
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
