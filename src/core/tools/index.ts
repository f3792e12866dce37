import { blameTool } from './blame.js';
import { findReferencesTool } from './findReferences.js';
import { findSymbolTool } from './findSymbol.js';
import { getCommitTool } from './getCommit.js';
import { getCommitTimelineTool } from './getCommitTimeline.js';
import { getContributorsTool } from './getContributors.js';
import { getFileTool } from './getFile.js';
import { getRepoOverviewTool } from './getRepoOverview.js';
import { listReposTool } from './listRepos.js';
import { searchCodeTool } from './searchCode.js';
import { searchCommitsTool, searchDiffsTool } from './searchHistory.js';
import type { ToolDefinition } from './types.js';

export type AnyTool = ToolDefinition;

/**
 * Every tool gitlore offers, in the order clients list them. The MCP server,
 * the HTTP API and `gitlore ask` all read this one list.
 */
export const ALL_TOOLS: readonly AnyTool[] = [
  searchCodeTool,
  findSymbolTool,
  findReferencesTool,
  getFileTool,
  listReposTool,
  getRepoOverviewTool,
  getCommitTimelineTool,
  getCommitTool,
  getContributorsTool,
  blameTool,
  searchCommitsTool,
  searchDiffsTool,
] as unknown as AnyTool[];

export function findTool(name: string): AnyTool | undefined {
  return ALL_TOOLS.find((t) => t.name === name);
}

export { defineTool, type ToolDefinition } from './types.js';
