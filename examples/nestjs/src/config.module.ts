import { type DynamicModule, Module } from '@nestjs/common';
import type { ExampleConfig } from 'example-support';
import { EXAMPLE_CONFIG } from './config.token.js';

/** Provides the example's configuration (what @nestjs/config would do in a bigger app). */
@Module({})
export class ExampleConfigModule {
  static register(config: ExampleConfig): DynamicModule {
    return { module: ExampleConfigModule, providers: [{ provide: EXAMPLE_CONFIG, useValue: config }], exports: [EXAMPLE_CONFIG] };
  }
}
