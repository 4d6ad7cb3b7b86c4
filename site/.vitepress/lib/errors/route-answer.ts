import { STATUS_CODES } from 'node:http';
import type { ExploErrorCode } from '../../../../packages/core/src/errors/error-codes.js';
import * as errorClasses from '../../../../packages/core/src/errors/errors.js';
import { problemResponse } from '../../../../packages/core/src/route/http.js';

/** The error class whose static `code` is this code (the most specific one: a family's subclass). */
function classOf(code: ExploErrorCode): typeof errorClasses.ExploEmbedError {
  const found = Object.values(errorClasses).filter(
    (value): value is typeof errorClasses.ExploEmbedError =>
      typeof value === 'function' && (value as { code?: unknown }).code === code,
  );
  const [chosen] = found.filter((one) => !found.some((other) => other !== one && other.prototype instanceof one));
  if (chosen === undefined) throw new Error(`No error class of the core has the code ${code}`);
  return chosen;
}

/**
 * What the token route answers for a code, as the core's own `problemResponse` makes it: its status,
 * the `Retry-After` it sets, and the code its body shows (a malformed secret shows only that none is usable).
 */
export function routeAnswer(code: ExploErrorCode): string {
  const error = Object.assign(Object.create(classOf(code).prototype) as errorClasses.ExploEmbedError, {
    code,
    message: '',
    retryAfter: 5,
  });
  const { status, headers, body } = problemResponse(error);
  const shown = (JSON.parse(body) as { code: string }).code;
  const retry = headers['retry-after'] === undefined ? '' : ' with `Retry-After`';
  const allow = headers.allow === undefined ? '' : ` with \`Allow: ${headers.allow}\``;
  const said = shown === code ? '' : `; its body says \`${shown}\`, so the browser learns only that no secret is usable`;
  return `The token route answers **${status} ${STATUS_CODES[status] ?? ''}**${retry}${allow} (\`application/problem+json\`)${said}.`;
}
