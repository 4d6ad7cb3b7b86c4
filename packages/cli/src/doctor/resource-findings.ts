import { checkEmbedIds, describeVerdict, type NamedEmbedId } from '../resource-check.js';
import { type Finding, fail, pass, warn } from './finding.js';

/**
 * The `resources` line: with `--api-token`, every embed id the page's token or `EXPLO_DASHBOARDS`
 * names is confirmed in Explo's Resource API; each one Explo's team does not have fails, with its
 * editor link. Explo not answering is a warning (the embed ids may still be right).
 */
export async function judgeResources(token: string, env: NodeJS.ProcessEnv, named: readonly NamedEmbedId[]): Promise<Finding> {
  // One line per embed id, however many places name it.
  const byId = new Map<string, string[]>();
  for (const { embedId, where } of named) byId.set(embedId, [...(byId.get(embedId) ?? []), where]);
  const ids = [...byId].map(([embedId, wheres]) => ({ embedId, where: wheres.join(' and ') }));
  if (ids.length === 0) {
    return warn(
      'resources',
      'no embed id to confirm: the page’s token was not read and EXPLO_DASHBOARDS is not set.',
      'set EXPLO_KEY_ID and EXPLO_KEY_VALUE to read the page’s token, or EXPLO_DASHBOARDS to the embed ids your app uses.',
    );
  }
  const checked = await checkEmbedIds(token, env, ids);
  if ('problem' in checked)
    return warn('resources', `${checked.problem}`, 'check --api-token (it is never printed) and EXPLO_API_URL.');
  const described = checked.verdicts.map((verdict) => ({ verdict, ...describeVerdict(verdict) }));
  const missing = described.filter(({ verdict }) => !verdict.ok);
  if (missing.length === 0) return pass('resources', described.map(({ text }) => text).join(' '));
  return fail('resources', missing.map(({ text }) => text).join(' '), missing.map(({ fix }) => fix).join(' Then: '));
}
