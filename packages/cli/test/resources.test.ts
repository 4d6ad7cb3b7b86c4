import { type ExploStandIn, startExploStandIn } from '@explo-embed/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { doctorRunner, ENV } from './support/doctor-run.js';
import { COOKIE, claims, iframe, KEY, page, seal } from './support/doctor-site.js';

// `check --api-token` and `doctor --api-token` against the Explo stand-in's Resource API: every embed
// id the config or the page names is confirmed, each missing one linked to Explo's editor for it.
// The API token is never printed.
const API_TOKEN = 'explo-api-token-for-cli-checks-0123';
const { cli, onSite, expectNothingSecretPrinted } = doctorRunner();
let standIn: ExploStandIn;

beforeAll(async () => {
  standIn = await startExploStandIn({
    keys: KEY,
    apiToken: API_TOKEN,
    resources: { dashboards: { Sales: 'emb-sales' }, reportBuilders: { Reports: 'emb-reports' } },
  });
});
afterAll(async () => {
  await standIn.close();
  expectNothingSecretPrinted();
});

const env = (dashboards: string) => ({ ...ENV, EXPLO_DASHBOARDS: dashboards, EXPLO_API_URL: standIn.url });
const noToken = (text: string) => expect(text).not.toContain(API_TOKEN);

describe('explo-embed check --api-token', () => {
  it('confirms each embed id of EXPLO_DASHBOARDS; one Explo does not have fails with its editor link (exit 2)', async () => {
    const r = await cli(['check', '--api-token', API_TOKEN], env('sales=emb-sales,reports=emb-reports,ops=emb-ops'));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('ok     EXPLO_DASHBOARDS "sales": embed id "emb-sales" is the dashboard "Sales" in Explo.');
    expect(r.stdout).toContain(
      'ok     EXPLO_DASHBOARDS "reports": embed id "emb-reports" is the report builder "Reports" in Explo.',
    );
    expect(r.stdout).toContain(
      'error  EXPLO_DASHBOARDS "ops": embed id "emb-ops" is no dashboard or report builder of this API token\'s team.\n' +
        '       fix: open https://app.explo.co/embed_id/emb-ops',
    );
    expect(r.stdout).toMatch(/1 problem found\.\n$/);
    noToken(r.stdout + r.stderr);
  });

  it('reads the token from stdin with -; all found is exit 0', async () => {
    const r = await cli(['check', '--api-token', '-'], env('sales=emb-sales'), { stdin: `${API_TOKEN}\n` });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/Configuration looks right\.\n$/);
  });

  it('a token Explo refuses is a problem named by its code; a malformed one is a usage error; neither is printed', async () => {
    const refused = await cli(['check', '--api-token', 'not-the-team-token-0123'], env('sales=emb-sales'));
    expect(refused.code).toBe(2);
    expect(refused.stdout).toMatch(/error {2}Explo's Resource API could not be asked \(ERR_EXPLO_API_REJECTED\)/);
    const malformed = await cli(['check', '--api-token', 'two words here'], env('sales=emb-sales'));
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/^explo-embed: --api-token must be the API token from Explo/);
    noToken(refused.stdout + malformed.stderr);
  });

  it('without EXPLO_DASHBOARDS there is nothing to confirm: a warning', async () => {
    const { EXPLO_DASHBOARDS: _, ...withoutDashboards } = env('');
    const r = await cli(['check', '--api-token', API_TOKEN], withoutDashboards);
    expect(r.stdout).toContain('warn   --api-token: no embed id to confirm');
  });
});

describe('explo-embed doctor --api-token', () => {
  it('the page’s embed id and those of EXPLO_DASHBOARDS, confirmed in one line (resources: pass)', async () => {
    const r = await onSite({}, ['--cookie', COOKIE, '--api-token', API_TOKEN], env('sales=emb-sales'));
    expect(r.status.resources).toBe('pass');
    expect(r.text.resources).toContain(
      'the page\'s token and EXPLO_DASHBOARDS "sales": embed id "emb-sales" is the dashboard "Sales" in Explo.',
    );
    expect(r.code).toBe(0);
  });

  it('a page embedding an id Explo does not have fails (exit 1), linking its editor', async () => {
    const r = await onSite(
      { page: page(iframe(seal(claims({ dsh: 'emb-gone' })))) },
      ['--cookie', COOKIE, '--api-token', API_TOKEN],
      { ...env(''), EXPLO_DASHBOARDS: 'sales=emb-sales' },
    );
    expect(r.status.resources).toBe('fail');
    expect(r.text.resources).toMatch(/the page's token: embed id "emb-gone" is no dashboard or report builder/);
    expect(r.text.resources).toContain('open https://app.explo.co/embed_id/emb-gone');
    expect(r.code).toBe(1);
  });

  it('Explo not answering is a warning; --cookie - and --api-token - cannot both read stdin', async () => {
    standIn.setFaults({ apiFails: 503 });
    try {
      const r = await onSite({}, ['--cookie', COOKIE, '--api-token', API_TOKEN], env('sales=emb-sales'));
      expect(r.status.resources).toBe('warn');
      expect(r.text.resources).toMatch(/ERR_EXPLO_API_UNAVAILABLE/);
    } finally {
      standIn.setFaults();
    }
    const both = await cli(['doctor', 'http://127.0.0.1:9/', '--cookie', '-', '--api-token', '-'], env('sales=emb-sales'));
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/cannot both read stdin/);
  });
});
