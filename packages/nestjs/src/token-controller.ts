import type { ExploAdapter } from '@explo-embed/core/adapter';
import { All, Controller, Inject, Req, Res, type Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type NodeishRequest, writeTokenResponse } from './http.js';
import { EXPLO_ADAPTER } from './tokens.js';

/**
 * A controller serving the token route at `path`. Built per module definition because Nest
 * routes are declared with decorators; it answers every method so that non-GET gets the core's 405.
 */
export function createTokenController(path: string): Type<unknown> {
  @Controller()
  class ExploTokenController {
    constructor(
      @Inject(EXPLO_ADAPTER) private readonly adapter: ExploAdapter<unknown>,
      @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    ) {}

    @All(path)
    async token(@Req() request: NodeishRequest, @Res() response: unknown): Promise<void> {
      await writeTokenResponse(this.host.httpAdapter, this.adapter, request, response);
    }
  }
  return ExploTokenController;
}
