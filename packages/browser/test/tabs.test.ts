/**
 * @jest-environment ./test/support/jsdom-environment.mjs
 */
import { BroadcastChannel as NodeBroadcastChannel } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type FreshToken, type KeepExploJwtFreshOptions, keepExploJwtFresh } from '../src/index.js';

// Which tabs share a refresh. Another tab of this browser is played by the test: a BroadcastChannel
// of the name that tab's helper would use, on which it posts the token it fetched for its own
// customer. A tab whose `tokenRequest` may make it another customer (a bearer token per tab) must
// never show that token: it shares only when told with whom (`shareAcrossTabs`).
const ROUTE = 'https://app.test/explo/token';
const URL_KEY = `${ROUTE}?fresh=1`;
const OTHER_TAB_TOKEN: FreshToken = { jwt: 'eyJ0YWIiOiJBIn0..aXY.Y3Q.dGFn', expiresIn: 300 };

const channels: NodeBroadcastChannel[] = [];
const stops: (() => void)[] = [];
beforeAll(() => {
  // jsdom has no BroadcastChannel: Node's, which reaches every instance of the same name in this process.
  Object.assign(globalThis, { BroadcastChannel: NodeBroadcastChannel });
});
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  for (const channel of channels.splice(0)) channel.close();
});
afterAll(() => {
  Reflect.deleteProperty(globalThis, 'BroadcastChannel');
});

/** This tab's helper, and what reaches its dashboard (`onToken` is called for every token it gets). */
function thisTab(options: Partial<KeepExploJwtFreshOptions>): FreshToken[] {
  const received: FreshToken[] = [];
  const iframe = document.body.appendChild(document.createElement('iframe'));
  const handle = keepExploJwtFresh({ iframe, tokenUrl: ROUTE, onToken: (token) => received.push(token), ...options });
  stops.push(() => handle.stop());
  return received;
}

/**
 * Another tab posts the token it fetched on the channel named `name`; resolves once a witness on that
 * name has it (every listener of the name had it delivered by then), and the task after.
 */
async function otherTabPosts(name: string): Promise<void> {
  const [channel, witness] = [new NodeBroadcastChannel(name), new NodeBroadcastChannel(name)];
  channels.push(channel, witness);
  const heard = new Promise((resolve) => {
    witness.onmessage = resolve;
  });
  channel.postMessage({ t: 'token', token: OTHER_TAB_TOKEN });
  await heard;
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('which tabs share one refresh', () => {
  it('a cookie session (no tokenRequest): every tab of the route and dashboard', async () => {
    const received = thisTab({});
    await otherTabPosts(`explo-embed:${URL_KEY}`);
    expect(received.map((token) => token.jwt)).toEqual([OTHER_TAB_TOKEN.jwt]);
  });

  it('with tokenRequest (a bearer token per tab): none, so another customer’s token never reaches this tab', async () => {
    const received = thisTab({ tokenRequest: () => ({ headers: { authorization: 'Bearer customer-b' } }) });
    await otherTabPosts(`explo-embed:${URL_KEY}`);
    expect(received).toEqual([]);
  });

  it('shareAcrossTabs: a customer id shares with the tabs given the same one only', async () => {
    const received = thisTab({ tokenRequest: { credentials: 'include' }, shareAcrossTabs: 'customer-b' });
    await otherTabPosts(`explo-embed:${URL_KEY}`);
    await otherTabPosts(`explo-embed:${URL_KEY} customer-a`);
    expect(received).toEqual([]);
    await otherTabPosts(`explo-embed:${URL_KEY} customer-b`);
    expect(received.map((token) => token.jwt)).toEqual([OTHER_TAB_TOKEN.jwt]);
  });

  it('shareAcrossTabs: false keeps even a cookie session to this tab; a bad value is a TypeError', async () => {
    const received = thisTab({ shareAcrossTabs: false });
    await otherTabPosts(`explo-embed:${URL_KEY}`);
    expect(received).toEqual([]);
    expect(() => thisTab({ shareAcrossTabs: '' })).toThrow(/shareAcrossTabs/);
  });
});
