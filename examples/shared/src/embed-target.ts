import { randomBytes } from 'node:crypto';
import type { ExploCustomersOptions } from '@explo-embed/core';
import { startExploStandIn } from '@explo-embed/testing';
import type { ExampleConfig } from './config.js';

/** Where the page embeds dashboards from: Explo itself, or the local stand-in. */
export interface EmbedTarget {
  /** Base of the iframe URL (`<appUrl>/iframe/<jwt>/<env>`). */
  appUrl: string;
  /** The web component's script. */
  bundleUrl: string;
  /** The iframe's origin, for the browser helper's origin check. */
  origin: string;
  standIn: boolean;
  /**
   * With the stand-in: customers provisioned on their first visit through its Customer API (which,
   * as Explo does, shows only provisioned customers' dashboards). With Explo itself, none: that
   * takes your API token, and creates customers in your Explo team.
   */
  customers: ExploCustomersOptions | undefined;
  close(): Promise<void>;
}

/** Explo itself. */
export const EXPLO: EmbedTarget = Object.freeze({
  appUrl: 'https://app.explo.co',
  bundleUrl: 'https://embed.explo.co/bundle.js',
  origin: 'https://app.explo.co',
  standIn: false,
  customers: undefined,
  close: async () => {},
});

/** Starts the stand-in when the configuration asks for it (no real key, or EXPLO_STAND_IN=1). */
export async function startEmbedTarget(config: ExampleConfig): Promise<EmbedTarget> {
  if (!config.standIn) return EXPLO;
  const apiToken = randomBytes(24).toString('base64url');
  const standIn = await startExploStandIn({ keys: config.secret, port: config.standInPort, apiToken, requireCustomers: true });
  return {
    appUrl: standIn.url,
    bundleUrl: standIn.bundleUrl,
    origin: standIn.origin,
    standIn: true,
    customers: {
      apiToken,
      url: standIn.url,
      // What your app knows of the customer (its database): the name Explo shows, and properties that become dashboard variables.
      provision: (customerId) => ({ name: `Demo customer ${customerId}`, properties: { plan: 'demo' } }),
    },
    close: () => standIn.close(),
  };
}
