import { ExploApiResponseError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import { realTimers } from '../lib/timers.js';
import type { ExploApiOptions } from '../options/options.js';
import { readApiJson } from './api-answer.js';
import { createApiBudget } from './api-budget.js';
import { type ApiCallContext, requestApi } from './api-request.js';
import { resolveApiOptions } from './resolve-api-options.js';

/** A dashboard or report builder of the Explo team an API token belongs to. */
export interface ExploResource {
  /** `dashboard`, or `report-builder`. */
  kind: 'dashboard' | 'report-builder';
  /** Its name in Explo. */
  name: string;
  /** The id it is embedded by (`dsh`). */
  embedId: string;
  /** Its editor in Explo's app: `https://app.explo.co/embed_id/<embedId>`. */
  editorUrl: string;
}

/** A team's resources run to hundreds, each a few hundred bytes with its attributes. */
const MAX_LIST_BYTES = 4 * 1024 * 1024;

/**
 * Every dashboard and report builder of the team that `api.token` belongs to, from Explo's Resource
 * API (`GET /api/dashboard/`, `GET /api/reports/`): to check that the embed ids an app names exist.
 * Calls go through the same client as API minting (retries, timeout, budget, the token never in an
 * error). Rejects with `ERR_EXPLO_OPTION_INVALID` (the options), `ERR_EXPLO_API_*`.
 *
 * @example
 * ```ts
 * const resources = await listExploResources({ token: process.env.EXPLO_API_TOKEN! });
 * const known = new Set(resources.map((r) => r.embedId));
 * ```
 */
export async function listExploResources(api: ExploApiOptions): Promise<ExploResource[]> {
  const resolved = resolveApiOptions(api, undefined);
  const call: ApiCallContext = {
    api: resolved,
    budget: createApiBudget(resolved.rateLimit, Date.now, realTimers),
    timers: realTimers,
    clock: Date.now,
  };
  const list = (path: '/api/dashboard/' | '/api/reports/', field: string, kind: ExploResource['kind']) =>
    requestApi(call, {
      method: 'GET',
      path,
      what: `list the team's ${kind === 'dashboard' ? 'dashboards' : 'report builders'}`,
      read: async (response, abort, token) => resources(await readApiJson(response, abort, token, MAX_LIST_BYTES), field, kind),
    });
  const [dashboards, reportBuilders] = await Promise.all([
    list('/api/dashboard/', 'dashboards', 'dashboard'),
    list('/api/reports/', 'reports', 'report-builder'),
  ]);
  return [...dashboards, ...reportBuilders];
}

function resources(answer: Record<string, unknown>, field: string, kind: ExploResource['kind']): ExploResource[] {
  const items = answer[field];
  if (!Array.isArray(items)) throw new ExploApiResponseError(`Explo's API answered without a "${field}" list.`);
  return items.map((item: unknown) => {
    const { name, embed_id: embedId } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof embedId !== 'string' || embedId === '') {
      throw new ExploApiResponseError(`Explo's API listed a ${kind} without an embed_id: ${quoteUntrusted(embedId ?? null)}.`);
    }
    return {
      kind,
      name: typeof name === 'string' ? name : '',
      embedId,
      editorUrl: exploEditorUrl(embedId),
    };
  });
}

/** The page of Explo's app that opens the editor of a dashboard or report builder by its embed id. */
export function exploEditorUrl(embedId: string, appUrl = 'https://app.explo.co'): string {
  return `${appUrl.replace(/\/+$/, '')}/embed_id/${encodeURIComponent(embedId)}`;
}
