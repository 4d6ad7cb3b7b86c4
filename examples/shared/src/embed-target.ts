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
  close(): Promise<void>;
}

/** Explo itself. */
export const EXPLO: EmbedTarget = Object.freeze({
  appUrl: 'https://app.explo.co',
  bundleUrl: 'https://embed.explo.co/bundle.js',
  origin: 'https://app.explo.co',
  standIn: false,
  close: async () => {},
});

/** Starts the stand-in when the configuration asks for it (no real key, or EXPLO_STAND_IN=1). */
export async function startEmbedTarget(config: ExampleConfig): Promise<EmbedTarget> {
  if (!config.standIn) return EXPLO;
  const standIn = await startExploStandIn({ keys: config.secret, port: config.standInPort });
  return {
    appUrl: standIn.url,
    bundleUrl: standIn.bundleUrl,
    origin: standIn.origin,
    standIn: true,
    close: () => standIn.close(),
  };
}
