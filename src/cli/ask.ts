import type { RegisterCommand } from './context.js';
import { EXIT_INTERRUPTED } from './exitCodes.js';
import { withInterrupt } from './run.js';

interface AskFlags {
  repo?: string[];
  thread?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const registerAsk: RegisterCommand = (program, ctx) => {
  program
    .command('ask')
    .description("answer a question in plain language: an LLM calls gitlore's tools and cites files and commits")
    .argument('<question...>', 'the question')
    .option('--repo <name>', 'only this repository (repeatable)', collect)
    .option('--thread <id>', 'continue this thread (its id is printed after each answer)')
    .option('--json', 'print one JSON document (answer, citations, commits, steps, usage, threadId)')
    .addHelpText(
      'after',
      '\nNeeds GITLORE_LLM (openai, anthropic, bedrock or ollama) and GITLORE_LLM_MODEL with the provider\'s key;\nOPENAI_BASE_URL points openai at any OpenAI-compatible server (vLLM, LM Studio, llama.cpp, LiteLLM).\n\nExamples:\n  gitlore ask "where is the retry policy configured?"\n  gitlore ask "who changed the login flow last and why?" --repo api --json\n  gitlore ask --thread <id> "and when was it last changed?"',
    )
    .action(
      ctx.action(async (words: string[], opts: AskFlags) => {
        const [{ askInThread }, { createContext }] = await Promise.all([import('../core/ask/threads.js'), import('../core/context.js')]);
        const app = await ctx.app();
        let streamed = false;
        const answer = await withInterrupt((signal) =>
          askInThread({ question: words.join(' '), repos: opts.repo, threadId: opts.thread }, createContext(app, { signal }), {
            onEvent: (event) => {
              if (event.type === 'step-finish') {
                const { step } = event;
                ctx.terminal.line(`${step.ok ? '·' : '✗'} ${step.tool} ${JSON.stringify(step.input)} (${step.ms} ms)`);
              } else if (event.type === 'text' && !opts.json) {
                ctx.out.stream(event.delta);
                streamed = true;
              }
            },
          }),
        ).catch((error: unknown) => {
          if ((error as Error).name === 'AbortError') return null;
          throw error;
        });
        if (!answer) {
          ctx.terminal.line('gitlore: ask cancelled.');
          return EXIT_INTERRUPTED;
        }
        if (opts.json) {
          ctx.out.json(answer);
          return 0;
        }
        if (streamed) ctx.out.line();
        if (answer.citations.length > 0 || answer.commits.length > 0) {
          ctx.out.line();
          ctx.out.line('Sources:');
          for (const c of answer.citations) ctx.out.line(`  ${c.repo}/${c.path}:${c.startLine}-${c.endLine}${c.url ? `  ${c.url}` : ''}`);
          for (const c of answer.commits) ctx.out.line(`  ${c.repo}@${c.hash.slice(0, 12)}  ${c.subject}`);
        }
        const dropped = answer.droppedCitations > 0 ? `, ${answer.droppedCitations} citation(s) dropped (not found)` : '';
        ctx.terminal.line(
          `${answer.steps.length} tool calls, ${answer.usage.inputTokens}+${answer.usage.outputTokens} tokens, ${answer.tookMs} ms${dropped}`,
        );
        ctx.terminal.line(`Thread ${answer.threadId}: continue with  gitlore ask --thread ${answer.threadId} "<question>"`);
        return 0;
      }),
    );
};
