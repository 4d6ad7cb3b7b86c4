/**
 * @jest-environment ./test/support/jsdom-environment.mjs
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import {
  answers,
  asked,
  JWT,
  json,
  LOADED,
  NEXT,
  fromExplo as postFromExplo,
  SENT_EU,
  SENT_US_2026,
  spyOnPosts,
  stubTokenRoute,
  watchdogExpectations,
} from '../../../test/support/embed-fixture.js';
import { ExploDashboard, ExploReportBuilder } from '../src/index.js';

// The component's logic in jsdom: the token route and Explo's iframe are played by the test.
stubTokenRoute();
afterEach(() => {
  cleanup();
  jest.useRealTimers();
});

const iframe = () => screen.getByTitle('Explo dashboard') as HTMLIFrameElement;
const fromExplo = (data: unknown) => act(() => postFromExplo(data));

describe('<ExploDashboard> in the browser', () => {
  it('without a token from the server, fetches one for its dashboard, then shows the iframe', async () => {
    answers.push(json({ jwt: JWT, expiresIn: 300, dashboard: 'ops' }));
    const onToken = jest.fn();
    render(<ExploDashboard dashboard="ops" loading={<p>Loading…</p>} onToken={onToken} />);
    expect(screen.getByText('Loading…')).toBeTruthy();
    expect(await screen.findByTitle('Explo dashboard')).toBeTruthy();
    expect(iframe().src).toBe(`https://app.explo.co/iframe/${JWT}/production`);
    expect(asked).toEqual([`${location.origin}/explo/token?dashboard=ops`]);
    expect(onToken).toHaveBeenCalledWith(expect.objectContaining({ jwt: JWT }));
  });

  it('a first token that cannot be had yet shows `error`, and is tried again with backoff', async () => {
    jest.useFakeTimers();
    answers.push(json({ code: 'ERR_EXPLO_SECRET_UNAVAILABLE' }, 503), json({ jwt: JWT, expiresIn: 300 }));
    render(<ExploDashboard error={(e) => <p>Retrying ({e.code})</p>} />);
    expect(await screen.findByText('Retrying (ERR_EXPLO_SERVER)')).toBeTruthy();
    await act(() => jest.advanceTimersByTimeAsync(1_600));
    expect(iframe().src).toContain(JWT);
    expect(asked).toHaveLength(2);
  });

  it('loadTimeout and embedId: a dashboard that never sends dashboardReadyToLoad gets onError ERR_EXPLO_NOT_LOADED, linking its editor', async () => {
    const watchdog = watchdogExpectations();
    const onError = jest.fn();
    render(<ExploDashboard token={JWT} loadTimeout={1} embedId="emb-sales" onError={onError} />);
    await waitFor(() => expect(onError).toHaveBeenCalledWith(watchdog.error));
    expect(watchdog.warnings()).toEqual(['ERR_EXPLO_NOT_LOADED']);
    watchdog.restore();
  });

  it('ended (401: logged out) renders `ended` with restart, which tries again', async () => {
    answers.push(json({ code: 'ERR_EXPLO_UNAUTHENTICATED' }, 401));
    const onError = jest.fn();
    render(
      <ExploDashboard
        onError={onError}
        ended={(error, restart) => (
          <button type="button" onClick={restart}>
            {error.code}: sign in again
          </button>
        )}
      />,
    );
    const button = await screen.findByText('ERR_EXPLO_UNAUTHENTICATED: sign in again');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'ERR_EXPLO_UNAUTHENTICATED', willRetry: false }));
    answers.push(json({ jwt: JWT, expiresIn: 300 }));
    fireEvent.click(button);
    expect(await screen.findByTitle('Explo dashboard')).toBeTruthy();
  });

  it('answers the iframe’s customerJwtExpired with a fresh token, to Explo’s origin only', async () => {
    render(<ExploDashboard token={{ jwt: JWT, expiresIn: 300 }} />);
    const posts = spyOnPosts();
    answers.push(json({ jwt: NEXT, expiresIn: 300 }));
    await fromExplo({ event: 'customerJwtExpired' });
    await waitFor(() => expect(posts()).toHaveLength(1));
    expect(asked).toEqual([`${location.origin}/explo/token?fresh=1`]);
    expect(posts()).toEqual([[{ event: 'updateCustomerJwt', detail: { jwt: NEXT } }, 'https://app.explo.co']]);
    // The iframe is not reloaded: the token reaches it by message.
    expect(iframe().src).toContain(JWT);
  });

  it('onLoad, and variables: sent once the dashboard has loaded, and whenever they change', async () => {
    const onLoad = jest.fn();
    const { rerender } = render(<ExploDashboard token={JWT} variables={{ region: 'EU' }} onLoad={onLoad} />);
    const posts = spyOnPosts();
    await fromExplo({ event: 'dashboardLoaded', detail: LOADED });
    expect(onLoad).toHaveBeenCalledWith(LOADED);
    expect(posts().at(-1)).toEqual(SENT_EU);
    rerender(<ExploDashboard token={JWT} variables={{ region: 'US', year: 2026 }} onLoad={onLoad} />);
    expect(posts().at(-1)).toEqual(SENT_US_2026);
    // The same variables again (a new object): nothing sent.
    const sent = posts().length;
    rerender(<ExploDashboard token={JWT} variables={{ region: 'US', year: 2026 }} onLoad={onLoad} />);
    expect(posts()).toHaveLength(sent);
  });

  it('height="auto": the iframe takes the estimate, then the dashboard’s full height; a fixed height is the host’s', async () => {
    const { rerender } = render(<ExploDashboard token={JWT} height="auto" />);
    await fromExplo({ event: 'dashboardReadyToLoad', detail: { dashboardHeight: 300 } });
    expect(iframe().style.height).toBe('300px');
    await fromExplo({ event: 'dashboardLoaded', detail: { dashboardId: 'emb-sales', dashboardHeight: 912.4, loadTime: 40 } });
    expect(iframe().style.height).toBe('913px');
    rerender(<ExploDashboard token={JWT} height={640} />);
    expect(iframe().style.height).toBe('640px');
  });

  it('localeCode reaches Explo: locale_code in the iframe URL, locale-code on the element', () => {
    render(
      <>
        <ExploDashboard token={JWT} localeCode="fr-fr" />
        <ExploDashboard token={NEXT} localeCode="de-de" mode="web-component" />
      </>,
    );
    expect(iframe().src).toBe(`https://app.explo.co/iframe/${JWT}/production?locale_code=fr-fr`);
    expect(document.querySelector('explo-dashboard')?.getAttribute('locale-code')).toBe('de-de');
  });

  it('the report builder with fill: Explo’s flex rule (a 100%-high column, the builder its flex: 1 child)', () => {
    const { container } = render(<ExploReportBuilder token={JWT} fill />);
    const frame = screen.getByTitle('Explo report builder') as HTMLIFrameElement;
    expect(frame.src).toBe(`https://app.explo.co/report-builder/iframe/${JWT}/production`);
    const wrapper = container.firstElementChild as HTMLElement;
    expect(wrapper.contains(frame)).toBe(true);
    expect([wrapper.style.display, wrapper.style.flexDirection, wrapper.style.height]).toEqual(['flex', 'column', '100%']);
    expect(frame.style.flex).toBe('1 1 auto');
  });

  it('web component: loads Explo’s bundle once per page, whatever the number of embeds', () => {
    render(
      <>
        <ExploDashboard token={JWT} mode="web-component" />
        <ExploDashboard token={NEXT} mode="web-component" dashboard="ops" />
      </>,
    );
    expect(document.querySelectorAll('script[src="https://embed.explo.co/bundle.js"]')).toHaveLength(1);
    expect(document.querySelectorAll('explo-dashboard')).toHaveLength(2);
  });
});
