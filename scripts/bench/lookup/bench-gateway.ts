/**
 * The gateway under test, in this process: one organization whose caller-ID lookups are served
 * from imported contacts, and the trivial route of the same server as the baseline.
 */
import { parseSettings } from '../../../config/load.js';
import { startGateway, type RunningGateway } from '../../../core/gateway.js';
import type { CallerLookup } from '../../../core/lookup/caller-lookup.js';
import { createLogger } from '../../../core/logger.js';
import { createMetrics } from '../../../core/metrics.js';
import type { SlapdHandle } from '../../../test/support/slapd.js';
import { fixtureOrganization } from '../../../test/support/gateway.js';
import { addLookupBaseline, type RecordedAnswer } from './baseline-route.js';

export const TOKEN = 'bench-lookup-token-0123456789abcdef';
export const ORGANIZATION = 'lookup';
// Below `warn` the bench would partly measure pino writing to a pipe.
export const LOG_LEVEL = 'warn';

export interface LookupGateway {
  url: string;
  gateway: RunningGateway;
  /** The organization's lookups, called directly for the in-process figure. */
  lookup: CallerLookup;
  /** What the baseline route answers, by number; filled once the answers are recorded. */
  answers: Map<string, RecordedAnswer>;
  stop(): Promise<void>;
}

export async function startLookupGateway(slapd: SlapdHandle): Promise<LookupGateway> {
  const document = {
    server: { host: '127.0.0.1', port: 0 },
    logging: { level: LOG_LEVEL },
    store: { path: ':memory:' },
    api: { tokens: [{ name: 'bench', token: TOKEN, organizations: [ORGANIZATION] }] },
    organizations: {
      [ORGANIZATION]: fixtureOrganization(slapd, {
        defaultCountry: 'US',
        attributes: 'cn,mail,telephoneNumber,mobile',
        contacts: { source: 'imported' },
      }),
    },
  };
  const settings = parseSettings(JSON.stringify(document), { env: {} });
  const answers = new Map<string, RecordedAnswer>();
  const gateway = await startGateway({
    settings,
    logger: createLogger(settings.logging.level, process.stderr),
    metrics: createMetrics(),
    extraRoutes: (app) => addLookupBaseline(app, answers),
  });
  const { lookup } = gateway.organizations.get(ORGANIZATION);
  return { url: gateway.url, gateway, lookup, answers, stop: () => gateway.stop() };
}

export function authorization(): Record<string, string> {
  return { authorization: `Bearer ${TOKEN}` };
}
