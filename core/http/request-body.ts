import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Context } from 'hono';

import { GatewayError } from '../errors.js';

const ajv = new Ajv({ allErrors: false, strict: true });

/** Compiles a JSON Schema for a request body (or query) once, at start-up. */
export function compileBodySchema<T>(schema: object): ValidateFunction<T> {
  return ajv.compile<T>(schema);
}

/** Text without control characters: they have no place in names, IDs or numbers. */
export const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]*$';

/** An identifier: printable, and neither blank nor padded with spaces. */
export const IDENTIFIER = '^(?!\\s)(?!.*\\s$)[^\\u0000-\\u001f\\u007f]+$';

/** A page size from the query string: a whole number from 1 to `max`, else `fallback`. */
export function readLimit(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const limit = /^[0-9]{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= max)) {
    throw new GatewayError(
      'invalid_request',
      `query.limit must be a whole number from 1 to ${max}`,
    );
  }
  return limit;
}

/**
 * Reads a JSON body and checks it against `validate`. Every way a body can be wrong becomes
 * a 4xx with a code: wrong content type, malformed JSON, wrong shape.
 */
export async function readJsonBody<T>(context: Context, validate: ValidateFunction<T>): Promise<T> {
  const contentType = context.req.header('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(contentType)) {
    throw new GatewayError('unsupported_media_type', 'send the body as application/json');
  }
  let body: unknown;
  try {
    body = JSON.parse(await context.req.text());
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('invalid_request', 'the body is not valid JSON');
  }
  return checkShape(body, validate, 'body');
}

/** Checks an already parsed value; the message names the first offending field. */
export function checkShape<T>(value: unknown, validate: ValidateFunction<T>, where: string): T {
  if (validate(value)) return value;
  throw new GatewayError('invalid_request', describe(validate.errors?.[0], where));
}

function patternProblem(error: ErrorObject): string {
  if (error.params['pattern'] === PRINTABLE) return 'must not contain control characters';
  if (error.params['pattern'] === IDENTIFIER) {
    return 'must not be blank, start or end with a space, or contain control characters';
  }
  return 'has characters that are not allowed';
}

function describe(error: ErrorObject | undefined, where: string): string {
  if (!error) return `${where} is invalid`;
  const path = error.instancePath.replace(/\//g, '.').replace(/\.(\d+)/g, '[$1]');
  if (error.keyword === 'required') {
    return `${where}${path}.${String(error.params['missingProperty'])} is required`;
  }
  if (error.keyword === 'pattern') {
    const printable = error.params['pattern'] === PRINTABLE;
    const problem = printable
      ? 'must not contain control characters'
      : 'has characters not allowed';
    return `${where}${path} ${problem}`;
  }
  if (error.keyword === 'additionalProperties') {
    return `${where}${path} has an unknown field '${String(error.params['additionalProperty'])}'`;
  }
  return `${where}${path} ${error.message ?? 'is invalid'}`;
}
