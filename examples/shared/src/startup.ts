import type { ExampleConfig } from './config.js';

/** Says loudly, at start, when the tokens cannot work with Explo. */
export function printStartupWarnings(name: string, config: ExampleConfig): void {
  if (!config.ephemeralSecret) return;
  console.warn(
    [
      '',
      `!!! ${name}: EXPLO_KEY_ID and EXPLO_KEY_VALUE are not set.`,
      '!!! Using a throwaway dev key generated for this run: Explo WILL REJECT these tokens.',
      '!!! The demo embeds a local Explo stand-in instead, so you can watch tokens refresh.',
      '!!! Set both (Explo: Settings > Data Visibility Groups > embed secret) to embed real dashboards.',
      '',
    ].join('\n'),
  );
}
