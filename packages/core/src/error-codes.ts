import type * as apiErrors from './api-errors.js';
import type * as errors from './errors.js';
import type * as jwtErrors from './jwt-errors.js';

type ErrorModules = typeof errors & typeof jwtErrors & typeof apiErrors;

/**
 * Every `code` an {@link ExploEmbedError} can carry. Derived from the error classes' static `code`,
 * so each code is written once, in its class; `switch (error.code)` narrows on it.
 */
export type ExploErrorCode = {
  [Name in keyof ErrorModules]: ErrorModules[Name] extends { readonly code: infer Code extends string } ? Code : never;
}[keyof ErrorModules];
