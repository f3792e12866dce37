import { z } from 'zod';
import type { ResolvedConfig } from '../../config/index.js';
import { ALL_TOOLS, type AnyTool } from '../tools/index.js';
import { defineTool } from '../tools/types.js';
import { askQuestion } from './agent.js';

const citation = z.object({
  repo: z.string(),
  path: z.string(),
  startLine: z.number().int(),
  endLine: z.number().int(),
  url: z.string().optional(),
});

/**
 * `ask_codebase`: the whole answering loop as one MCP tool, for agents whose own model is weak. Not in
 * ALL_TOOLS: the loop itself calls those, and never itself.
 */
export const askCodebaseTool = defineTool({
  name: 'ask_codebase',
  title: 'Ask a question about the code',
  description:
    "Answers a question in plain language about the indexed repositories, their code and history: gitlore's own model searches, reads files and commits, and answers citing repo/path:start-end and repo@hash (citations checked against the index). Slower than the other tools; prefer them when you can call them yourself.",
  inputSchema: {
    question: z.string().min(1).max(4000).describe('the question'),
    repos: z.array(z.string().min(1)).max(50).optional().describe('only these repositories'),
  },
  outputSchema: {
    question: z.string(),
    answer: z.string(),
    citations: z.array(citation),
    commits: z.array(z.object({ repo: z.string(), hash: z.string(), subject: z.string() })),
    droppedCitations: z.number().int(),
    model: z.string(),
    steps: z.array(z.object({ tool: z.string(), input: z.unknown(), ok: z.boolean(), ms: z.number(), repos: z.array(z.string()) })),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
    tookMs: z.number(),
  },
  async execute(input, ctx) {
    return askQuestion(input, ctx);
  },
  toText(output) {
    const sources = [
      ...output.citations.map((c) => `${c.repo}/${c.path}:${c.startLine}-${c.endLine}`),
      ...output.commits.map((c) => `${c.repo}@${c.hash.slice(0, 12)} ${c.subject}`),
    ];
    return sources.length > 0 ? `${output.answer}\n\nSources:\n${sources.join('\n')}` : output.answer;
  },
});

/** The tools MCP serves: every tool, and ask_codebase where an LLM is configured. */
export function servedTools(config: Pick<ResolvedConfig, 'llm'>): readonly AnyTool[] {
  return config.llm === 'none' ? ALL_TOOLS : [...ALL_TOOLS, askCodebaseTool as unknown as AnyTool];
}
