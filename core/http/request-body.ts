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
