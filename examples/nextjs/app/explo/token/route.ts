import { exampleRuntime } from '../../../src/runtime.js';

// The token route: GET /explo/token, for the signed-in customer.
export const GET = (request: Request) => exampleRuntime().explo.tokenRoute(request);
