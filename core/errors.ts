/**
 * The one error type the gateway raises on purpose. `code` is stable and machine-readable;
 * core/http maps it to a status. `message` is safe to show a caller: it never carries a secret
 * or a raw directory message.
 */
export class GatewayError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    // No stack is captured: the code says where an answer comes from, a cause keeps its own
    // stack, and capturing one took 4 µs of each 401 or 404 (ten times the rest of the error).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message, { cause: options.cause });
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'GatewayError';
    this.code = code;
    this.details = options.details;
  }

  toJSON(): { code: string; message: string } & Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.details };
  }
}

/** A gateway.yaml that cannot be used; `problems` holds one line per thing to fix. */
export class ConfigError extends GatewayError {
  readonly problems: string[];

  constructor(problems: string[]) {
    super('invalid_config', `invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}
