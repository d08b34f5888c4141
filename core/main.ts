import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { loadSettingsFile } from '../config/load.js';
import { ConfigError } from './errors.js';
import { startGateway, type RunningGateway } from './gateway.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { surviveStrayErrors } from './stray-errors.js';

/** Command line: `node dist/core/main.js [--config gateway.yaml]`. */
async function main(): Promise<void> {
  const values = readArguments();
  const configPath = resolve(values.config ?? process.env['GATEWAY_CONFIG'] ?? 'gateway.yaml');
  const refuse = (error: ConfigError): never => {
    process.stderr.write(`ldap-gateway: ${configPath}: ${error.message}\n`);
    process.exit(2);
  };

  let gateway: RunningGateway;
  try {
    const settings = loadSettingsFile(configPath);
    const logger = createLogger(settings.logging.level);
    const metrics = createMetrics();
    surviveStrayErrors(logger, metrics);
    try {
      gateway = await startGateway({ settings, logger, metrics });
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      // One line for the person starting it, the details for the log.
      process.stderr.write(`ldap-gateway: start-up failed: ${(error as Error).message}\n`);
      logger.fatal({ err: error }, 'start-up failed');
      process.exit(1);
    }
    stopOnSignals(gateway, logger);
  } catch (error) {
    if (error instanceof ConfigError) refuse(error);
    throw error;
  }
}

function readArguments(): { config?: string } {
  try {
    return parseArgs({ options: { config: { type: 'string', short: 'c' } } }).values;
  } catch (error) {
    process.stderr.write(`ldap-gateway: ${(error as Error).message}\n`);
    process.stderr.write('usage: node dist/core/main.js [--config gateway.yaml]\n');
    process.exit(2);
  }
}

function stopOnSignals(gateway: RunningGateway, logger: ReturnType<typeof createLogger>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void gateway.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

await main();
