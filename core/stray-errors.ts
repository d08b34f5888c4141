import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * Keeps the process up when something throws outside any request: a plugin's timer, a promise
 * nobody awaits. Node would exit, taking every organization's sign-ins down with one plugin;
 * the error is logged and counted instead. Requests and imports contain their own errors.
 */
export function surviveStrayErrors(logger: Logger, metrics: GatewayMetrics): void {
  process.on('unhandledRejection', (reason) => {
    metrics.uncaughtErrors.inc();
    logger.error({ err: reason }, 'a promise failed outside any request');
  });
  process.on('uncaughtException', (error) => {
    metrics.uncaughtErrors.inc();
    logger.error({ err: error }, 'an error was thrown outside any request');
  });
}
