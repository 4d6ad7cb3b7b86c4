import type { ServerResponse } from 'node:http';

/** Explo's editable-section events (where Explo enables them), as the stand-in emits them: `detail` by event name. */
export interface StandInEditableSectionEvents {
  /** The section changed: its charts and the chart templates offered. */
  editableSectionUpdated: { charts: unknown[]; availableChartTemplates: unknown[] };
  /** A chart was added to the section (Explo's docs fix no payload: pass what your code reads). */
  editableSectionChartAdded: Record<string, unknown>;
  /** A chart was removed from the section (likewise). */
  editableSectionChartRemoved: Record<string, unknown>;
}

const EDITABLE_SECTION_EVENTS: readonly string[] = [
  'editableSectionUpdated',
  'editableSectionChartAdded',
  'editableSectionChartRemoved',
];

/**
 * The server-sent-events channel to every open embed (`/api/events`): how `expireNow()`, the
 * dashboard's height and the editable-section events reach them at once. The height is state: an
 * embed that connects later is told it first, and pages served later carry it (`height()`).
 */
export function eventStream() {
  const streams = new Set<ServerResponse>();
  let height: number | null = null;
  const line = (message: unknown) => `data: ${JSON.stringify(message)}\n\n`;
  const broadcast = (data: string) => {
    for (const stream of streams) stream.write(data);
  };
  return {
    /** Takes a `GET /api/events` response (its headers already written) and keeps it open. */
    open(res: ServerResponse): void {
      res.write(': connected\n\n');
      if (height !== null) res.write(line({ height }));
      streams.add(res);
      res.on('close', () => streams.delete(res));
    },
    height: (): number | null => height,
    expire(): void {
      broadcast('data: expire\n\n');
    },
    setHeight(px: number | null): void {
      if (px !== null && !(typeof px === 'number' && Number.isFinite(px) && px >= 0)) {
        throw new TypeError('setHeight takes a number of pixels >= 0, or nothing (the content height again).');
      }
      height = px;
      broadcast(line({ height }));
    },
    editableSection(event: string, detail: unknown): void {
      if (!EDITABLE_SECTION_EVENTS.includes(event)) {
        throw new TypeError(`emitEditableSection takes one of ${EDITABLE_SECTION_EVENTS.join(', ')}.`);
      }
      if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
        throw new TypeError(`emitEditableSection(${event}) needs a detail object.`);
      }
      const { charts, availableChartTemplates } = detail as Record<string, unknown>;
      if (event === 'editableSectionUpdated' && !(Array.isArray(charts) && Array.isArray(availableChartTemplates))) {
        throw new TypeError('editableSectionUpdated needs { charts: [...], availableChartTemplates: [...] }.');
      }
      // As JSON: what JSON cannot carry (a function, undefined) is left out, and a cycle throws here.
      broadcast(line({ event, detail }));
    },
    analytics(detail: unknown): void {
      if (typeof detail !== 'object' || detail === null || typeof (detail as { name?: unknown }).name !== 'string') {
        throw new TypeError('emitAnalytics needs a detail object with a string `name` ("CSV Downloaded", say).');
      }
      broadcast(line({ event: 'analyticsEventFired', detail }));
    },
    close(): void {
      for (const stream of streams) stream.end();
    },
  };
}
