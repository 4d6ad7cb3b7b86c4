import { ExploEmbedModule } from '@explo-embed/nestjs';
import { type DynamicModule, Module } from '@nestjs/common';
import type { EmbedTarget, ExampleConfig } from 'example-support';
import { AppController } from './app.controller.js';
import { ExampleConfigModule } from './config.module.js';
import { EMBED_TARGET, EXAMPLE_CONFIG } from './config.token.js';

@Module({})
export class AppModule {
  static register(config: ExampleConfig, target: EmbedTarget): DynamicModule {
    const configModule = ExampleConfigModule.register(config, target);
    return {
      module: AppModule,
      imports: [
        configModule,
        // The one module a host app adds: the token route, ExploEmbedService, @ExploJwt() and res.locals.exploJwt.
        ExploEmbedModule.forRootAsync({
          imports: [configModule],
          inject: [EXAMPLE_CONFIG, EMBED_TARGET],
          // `customers`: provisioned in Explo (here, the stand-in) on their first visit.
          useFactory: (c: ExampleConfig, t: EmbedTarget) => ({
            secret: c.secret,
            dashboards: c.dashboards,
            expiresIn: c.expiresIn,
            customers: t.customers,
          }),
        }),
      ],
      controllers: [AppController],
    };
  }
}
