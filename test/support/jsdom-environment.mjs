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
    });
  }
}
