import { type DynamicModule, Module } from '@nestjs/common';
import type { EmbedTarget, ExampleConfig } from 'example-support';
import { EMBED_TARGET, EXAMPLE_CONFIG } from './config.token.js';

/** Provides the example's configuration (what @nestjs/config would do in a bigger app). */
@Module({})
export class ExampleConfigModule {
  static register(config: ExampleConfig, target: EmbedTarget): DynamicModule {
    return {
      module: ExampleConfigModule,
      providers: [
        { provide: EXAMPLE_CONFIG, useValue: config },
        { provide: EMBED_TARGET, useValue: target },
      ],
      exports: [EXAMPLE_CONFIG, EMBED_TARGET],
    };
  }
}
