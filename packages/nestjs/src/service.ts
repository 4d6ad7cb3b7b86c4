import type { DecryptedExploJwt, DecryptOptions, ExploEmbed, ExploToken, MintRequest } from '@explo-embed/core';
import type { ExploAdapter } from '@explo-embed/core/adapter';
import { Inject, Injectable } from '@nestjs/common';
import { EXPLO_ADAPTER } from './tokens.js';

/** Mint and decode Explo tokens anywhere in a Nest app. */
@Injectable()
export class ExploEmbedService {
  constructor(@Inject(EXPLO_ADAPTER) private readonly adapter: ExploAdapter<unknown>) {}

  /** The core minter. */
  get embed(): ExploEmbed {
    return this.adapter.embed;
  }

  /** A token for a customer and dashboard (reused while young unless `fresh`). See `ExploEmbed.mint`. */
  mint(request: MintRequest): Promise<ExploToken> {
    return this.adapter.embed.mint(request);
  }

  /** Decrypts and checks a token with the configured secret. */
  decrypt(jwt: string, options?: DecryptOptions): Promise<DecryptedExploJwt> {
    return this.adapter.embed.decrypt(jwt, options);
  }
}
