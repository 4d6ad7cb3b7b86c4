/**
 * @jest-environment ./test/support/jsdom-environment.mjs
 */
import { describe, expect, it } from '@jest/globals';
import { autoHeight } from '../src/height.js';

// The auto-height rule on its own, on elements of a jsdom page (what a web component's display
// becomes is checked in Chromium: jsdom does not compute an element's default display).
const element = (tag = 'iframe') => document.body.appendChild(document.createElement(tag));

describe('auto-height', () => {
  it('takes the estimate first, then the full height; shrinks as well as grows', () => {
    const frame = element();
    const size = autoHeight(frame);
    size('dashboardReadyToLoad', { dashboardId: 'd', dashboardHeight: 300 });
    expect(frame.style.height).toBe('300px');
    size('dashboardLoaded', { dashboardId: 'd', dashboardHeight: 812.4, loadTime: 90 });
    expect(frame.style.height).toBe('813px');
    size('dashboardUpdated', { dashboardId: 'd', dashboardHeight: 640 });
    expect(frame.style.height).toBe('640px');
  });

  it.each([[0], [-5], [12], [Number.NaN], [Number.POSITIVE_INFINITY], [250_000], ['800'], [null]])(
    'ignores an absurd height (%p)',
    (height) => {
      const frame = element();
      const size = autoHeight(frame);
      size('dashboardLoaded', { dashboardHeight: 500 });
      size('dashboardUpdated', { dashboardHeight: height });
      expect(frame.style.height).toBe('500px');
    },
  );

  it('cannot run away: a dashboard that keeps growing on its own updates stops getting room, until it loads anew', () => {
    const frame = element();
    const size = autoHeight(frame);
    size('dashboardLoaded', { dashboardHeight: 600 });
    // A dashboard sized by its frame: each update asks for a little more than it got.
    for (let i = 1; i <= 20; i++) size('dashboardUpdated', { dashboardHeight: 600 + i * 50 });
    expect(frame.style.height).toBe('750px');
    // Asking for less is always granted, and it may grow again after that.
    size('dashboardUpdated', { dashboardHeight: 500 });
    expect(frame.style.height).toBe('500px');
    size('dashboardUpdated', { dashboardHeight: 560 });
    expect(frame.style.height).toBe('560px');
    size('dashboardLoaded', { dashboardHeight: 900 });
    expect(frame.style.height).toBe('900px');
  });
});
