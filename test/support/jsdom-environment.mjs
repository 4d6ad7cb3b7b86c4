// jsdom, plus the Node globals it lacks and code under test (or the leak recorder) uses: the
// encoders, fetch's Request/Response/Headers, streams. `@jest-environment` in a test file picks it.
import { TextDecoder, TextEncoder } from 'node:util';
import { TestEnvironment } from 'jest-environment-jsdom';

export default class JsdomWithNodeGlobals extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    Object.assign(this.global, {
      TextEncoder,
      TextDecoder,
      Request,
      Response,
      Headers,
      ReadableStream,
      structuredClone,
      // What a bundler defines for Vue's esm-bundler build (Vite's Vue plugin does): without them Vue warns.
      __VUE_OPTIONS_API__: true,
      __VUE_PROD_DEVTOOLS__: false,
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
    });
  }
}
