import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startExploApi } from '../../../test/support/explo-api.js';
import { fakeTimers, KEY, routeFor } from './fixtures.js';

// OpenTelemetry, as an app wires it (its providers registered before the middleware is created),
// read back through the SDK's in-memory exporters.
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const spanExporter = new InMemorySpanExporter();

beforeAll(() => {
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] }));
});
afterAll(async () => {
  await reader.shutdown();
  metrics.disable();
  trace.disable();
});

async function collected() {
  await reader.forceFlush();
  const points = new Map<string, { attributes: Record<string, unknown>; value: unknown }[]>();
  for (const resource of metricExporter.getMetrics()) {
    for (const scope of resource.scopeMetrics) {
      for (const metric of scope.metrics) {
        points.set(
          metric.descriptor.name,
          metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value })),
        );
      }
    }
  }
  metricExporter.reset();
  return points;
}

describe('OpenTelemetry', () => {
  it('counts tokens minted, reused and refused (by code), and times mints', async () => {
    const { route } = routeFor({ secret: KEY, dashboards: { sales: 'emb-sales' }, logger: false });
    const ask = (customer: string | undefined, query = '') => route({ method: 'GET', query, customer: () => customer });
    await ask('a');
    await ask('b');
    await ask('a');
    await ask('a');
    await ask(undefined);
    await ask('a', 'dashboard=payroll');
    const points = await collected();
    expect(points.get('explo_embed.tokens.minted')).toEqual([{ attributes: { 'explo_embed.minter': 'local' }, value: 2 }]);
    expect(points.get('explo_embed.tokens.reused')).toEqual([{ attributes: {}, value: 2 }]);
    expect(points.get('explo_embed.tokens.refused')).toEqual(
      expect.arrayContaining([
        { attributes: { 'explo_embed.error.code': 'ERR_EXPLO_UNAUTHENTICATED' }, value: 1 },
        { attributes: { 'explo_embed.error.code': 'ERR_EXPLO_DASHBOARD_UNKNOWN' }, value: 1 },
      ]),
    );
    const durations = points.get('explo_embed.mint.duration')?.[0]?.value as { count: number; sum: number };
    expect(durations.count).toBe(2);
    expect(durations.sum).toBeGreaterThan(0);
  });

  it('spans API mints and secret fetches, with the error code (never a message) when they fail', async () => {
    spanExporter.reset();
    const api = await startExploApi(() => ({ status: 401, body: { detail: 'Invalid token explo-api-token-otel-0123456789' } }));
    try {
      const viaApi = routeFor(
        { api: { token: 'explo-api-token-otel-0123456789', url: api.url }, dashboards: { s: 'e' }, logger: false },
        fakeTimers().timers,
      );
      await viaApi.embed.mint({ customerId: 'a' }).catch(() => undefined);
      const viaProvider = routeFor({ secret: async () => KEY, dashboards: { s: 'e' }, logger: false });
      await viaProvider.embed.mint({ customerId: 'a' });
    } finally {
      await api.close();
    }
    const spans = spanExporter.getFinishedSpans().map((span) => ({
      name: span.name,
      status: span.status.code,
      code: span.attributes['explo_embed.error.code'],
      message: span.status.message,
    }));
    expect(spans).toEqual([
      { name: 'explo-embed api mint', status: 2, code: 'ERR_EXPLO_API_REJECTED', message: 'ERR_EXPLO_API_REJECTED' },
      { name: 'explo-embed secret fetch', status: 0, code: undefined, message: undefined },
    ]);
    expect(JSON.stringify(spanExporter.getFinishedSpans().map((span) => span.attributes))).not.toContain('explo-api-token');
  });

  it('a secret fetch span ends with the code onError gets: a throwing provider, a 33-byte key', async () => {
    spanExporter.reset();
    const reported: string[] = [];
    for (const secret of [
      async () => {
        throw new Error('vault down');
      },
      async () => ({ keyId: KEY.keyId, keyValue: `${KEY.keyValue}\n` }),
    ]) {
      const { embed } = routeFor({
        secret,
        dashboards: { s: 'e' },
        logger: false,
        onError: (error) => reported.push(error.code),
      });
      await embed.mint({ customerId: 'a' }).catch(() => undefined);
    }
    const spans = spanExporter.getFinishedSpans().map((span) => span.attributes['explo_embed.error.code']);
    expect(reported.length).toBeGreaterThan(0);
    expect(new Set(spans)).toEqual(new Set(['ERR_EXPLO_SECRET_UNAVAILABLE', 'ERR_EXPLO_KEY_LENGTH']));
    expect(new Set(reported)).toEqual(new Set(spans));
  });
});
