import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type ApiBehaviour, startExploApi } from '../../../test/support/explo-api.js';
import type { RunningServer } from '../../../test/support/http.js';
import { type ExploEmbedError, exploEditorUrl, listExploResources } from '../src/index.js';

// Explo's Resource API, read as the CLI's checks read it: every dashboard and report builder of the team.
const API_TOKEN = 'explo-resource-api-token-0123456789';
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function list(behaviour: ApiBehaviour) {
  const server = await startExploApi(behaviour);
  servers.push(server);
  const outcome = await listExploResources({ token: API_TOKEN, url: server.url, retries: 0 }).catch((e: ExploEmbedError) => e);
  return { server, outcome };
}

describe('listExploResources', () => {
  it('lists dashboards and report builders with their editor pages, in two GETs', async () => {
    const { server, outcome } = await list((call) =>
      call.path === '/api/dashboard/'
        ? {
            status: 200,
            body: { success: 1, dashboards: [{ team_id: 1, name: 'Sales', embed_id: 'vcjTgL2wdX', attributes: [] }] },
          }
        : { status: 200, body: { success: 1, reports: [{ name: 'Reports', embed_id: 'JQvCTLT76V' }] } },
    );
    expect(outcome).toEqual([
      { kind: 'dashboard', name: 'Sales', embedId: 'vcjTgL2wdX', editorUrl: 'https://app.explo.co/embed_id/vcjTgL2wdX' },
      { kind: 'report-builder', name: 'Reports', embedId: 'JQvCTLT76V', editorUrl: 'https://app.explo.co/embed_id/JQvCTLT76V' },
    ]);
    expect(server.calls.map((call) => [call.method, call.path, call.headers['explo-authorization']]).sort()).toEqual([
      ['GET', '/api/dashboard/', `Token ${API_TOKEN}`],
      ['GET', '/api/reports/', `Token ${API_TOKEN}`],
    ]);
  });

  it.each([
    ['401', { status: 401, body: {} }, 'ERR_EXPLO_API_REJECTED'],
    ['no list', { status: 200, body: { success: 1 } }, 'ERR_EXPLO_API_BAD_RESPONSE'],
    [
      'an item without embed_id',
      { status: 200, body: { success: 1, dashboards: [{ name: 'x' }], reports: [] } },
      'ERR_EXPLO_API_BAD_RESPONSE',
    ],
  ])('fails coded on %s, never showing the token', async (_name, answer, code) => {
    const { outcome } = await list(() => answer);
    expect(outcome).toMatchObject({ code });
    expect(inspect(outcome)).not.toContain(API_TOKEN);
  });

  it('refuses bad options before any call', async () => {
    await expect(listExploResources({ token: 'short' })).rejects.toMatchObject({
      code: 'ERR_EXPLO_OPTION_INVALID',
      option: 'api.token',
    });
  });

  it('editor links escape the embed id', () => {
    expect(exploEditorUrl('a/b c', 'http://127.0.0.1:1/')).toBe('http://127.0.0.1:1/embed_id/a%2Fb%20c');
  });
});
