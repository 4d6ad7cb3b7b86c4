// Heights below this (a collapsed or not yet laid out dashboard) or above the other (a layout loop)
// are not a dashboard's: they are ignored.
const MIN_PX = 40;
const MAX_PX = 100_000;
// A dashboard that grows again and again on its own updates is sizing itself by its frame: after
// this many growths in a row it gets no more room until it loads anew (or asks for less).
const MAX_GROWTH_STREAK = 3;

/**
 * Sizes an embed's element from Explo's own heights: the estimate (`dashboardReadyToLoad`), then the
 * full height (`dashboardLoaded`, `dashboardUpdated`). It shrinks as well as grows, ignores absurd
 * values, and cannot run away when a frame keeps asking for more than it gets.
 */
export function autoHeight(element: HTMLElement): (event: string, detail: unknown) => void {
  let applied = 0;
  let streak = 0;
  return (event, detail) => {
    const height = (detail as { dashboardHeight?: unknown } | null)?.dashboardHeight;
    if (typeof height !== 'number' || !(height >= MIN_PX && height <= MAX_PX)) return;
    const next = Math.ceil(height);
    if (event !== 'dashboardUpdated') streak = 0;
    else if (next > applied && ++streak > MAX_GROWTH_STREAK) return;
    else if (next <= applied) streak = 0;
    if (next === applied) return;
    applied = next;
    // <explo-dashboard> is an inline element unless the page says otherwise: a height does nothing there.
    if (element.tagName !== 'IFRAME' && getComputedStyle(element).display === 'inline') element.style.display = 'block';
    element.style.height = `${next}px`;
  };
}

/** The events whose `dashboardHeight` sizes an embed. */
export const HEIGHT_EVENTS: ReadonlySet<string> = new Set(['dashboardReadyToLoad', 'dashboardLoaded', 'dashboardUpdated']);
