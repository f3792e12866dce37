import { z } from 'zod';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { Routes } from './route.js';

const queryBody = z.object({ question: z.string().min(1).max(4000), repos: z.array(z.string()).optional() });

const llmMissing = (): never => {
  throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Question answering needs an LLM provider; none is configured.', {
    hint: 'Set GITLORE_LLM (openai, anthropic, bedrock or ollama) with its API key, or use /api/search and the MCP tools.',
  });
};

/** Question answering: validated, then 501 until an LLM provider can be configured. */
export function registerAskRoutes(routes: Routes): void {
  routes.add(
    {
      method: 'post',
      path: '/api/ask',
      summary: 'Ask a question (server-sent events); 501 unless GITLORE_LLM is set',
      body: queryBody,
      what: 'ask body',
      response: { description: 'Answer stream' },
    },
    llmMissing,
  );
  routes.add(
    {
      method: 'post',
      path: '/api/query',
      summary: 'Ask a question (JSON, kept for earlier clients); 501 unless GITLORE_LLM is set',
      body: queryBody,
      what: 'query body',
      response: { description: 'Answer' },
    },
    llmMissing,
  );
}
