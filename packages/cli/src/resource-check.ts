import { type ExploResource, exploEditorUrl, listExploResources } from '@explo-embed/core';
import { CliError } from './cli-error.js';
import { type CliIo, readStdin } from './cli-io.js';
import { quoteHostile } from './terminal-safe.js';

/** An embed id to confirm, and where it was named (`EXPLO_DASHBOARDS "sales"`, `the page's token`). */
export interface NamedEmbedId {
  embedId: string;
  where: string;
}

/** What Explo's Resource API says of one embed id: the resource it is, or none (with its editor link to look). */
export type EmbedIdVerdict =
  | { ok: true; named: NamedEmbedId; resource: ExploResource }
  | { ok: false; named: NamedEmbedId; editorUrl: string };

/** The outcome of asking Explo: a verdict per embed id, or why Explo could not be asked (never naming the token). */
export type ResourceCheck = { verdicts: EmbedIdVerdict[] } | { problem: string };

// The core's option names, as this command's flags and environment spell them.
const OWN_NAMES: Readonly<Record<string, string>> = { 'api.token': '--api-token', 'api.url': 'EXPLO_API_URL' };

/** `--api-token`: the token itself, or `-` to read it from stdin (out of `ps` and the shell's history). */
export async function apiTokenFlag(value: string, io: CliIo): Promise<string> {
  return value === '-' ? (await readStdin(io.stdin, 'one Explo API token')).trim() : value;
}

/**
 * Confirms that each embed id names a dashboard or report builder of the team the API token belongs
 * to, with one listing from Explo's Resource API (`EXPLO_API_URL` for another base URL, a stand-in's).
 * A malformed token or URL is a usage error; an API that fails or refuses is a `problem`.
 */
export async function checkEmbedIds(token: string, env: NodeJS.ProcessEnv, ids: readonly NamedEmbedId[]): Promise<ResourceCheck> {
  let resources: ExploResource[];
  try {
    resources = await listExploResources({ token, ...(env.EXPLO_API_URL ? { url: env.EXPLO_API_URL } : {}), retries: 1 });
  } catch (error) {
    const { code, option, reason, message } = error as { code?: string; option?: string; reason?: string; message?: string };
    if (code === 'ERR_EXPLO_OPTION_INVALID') throw new CliError(`${OWN_NAMES[option ?? ''] ?? option} ${reason}`);
    return { problem: `Explo's Resource API could not be asked (${code ?? 'ERR_EXPLO_INTERNAL'}): ${message ?? ''}` };
  }
  const byId = new Map(resources.map((resource) => [resource.embedId, resource]));
  return {
    verdicts: ids.map((named) => {
      const resource = byId.get(named.embedId);
      return resource ? { ok: true, named, resource } : { ok: false, named, editorUrl: exploEditorUrl(named.embedId) };
    }),
  };
}

/** One verdict in words: what the embed id is in Explo, or that the team has none by that id, and where to look. */
export function describeVerdict(verdict: EmbedIdVerdict): { text: string; fix?: string } {
  const id = quoteHostile(verdict.named.embedId, 60);
  if (verdict.ok) {
    const kind = verdict.resource.kind === 'dashboard' ? 'dashboard' : 'report builder';
    return { text: `${verdict.named.where}: embed id ${id} is the ${kind} ${quoteHostile(verdict.resource.name, 60)} in Explo.` };
  }
  return {
    text: `${verdict.named.where}: embed id ${id} is no dashboard or report builder of this API token's team.`,
    fix: `open ${verdict.editorUrl} (Explo's editor for an embed id; its home page when none has it) and copy the embed id Explo shows, or use an API token of the team that has it.`,
  };
}
