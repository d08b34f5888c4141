import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { loadSettingsFile } from '../config/load.js';
import { ConfigError } from './errors.js';
import { startGateway } from './gateway.js';
import { createLogger } from './logger.js';

/** Command line: `node dist/core/main.js [--config gateway.yaml]`. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } } });
  const configPath = resolve(values.config ?? process.env['GATEWAY_CONFIG'] ?? 'gateway.yaml');

  let settings;
  try {
    settings = loadSettingsFile(configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`ldap-gateway: ${configPath}: ${error.message}\n`);
    process.exit(2);
  }

  const logger = createLogger(settings.logging.level);
  let gateway;
  try {
    gateway = await startGateway({ settings, logger });
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : (error as Error).message;
    logger.fatal({ err: error }, `start-up failed: ${message}`);
    process.exit(1);
  }

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
