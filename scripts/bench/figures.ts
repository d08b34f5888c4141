/**
 * The figures: each pairs a subject (the gateway's route) with a baseline on the same server
 * that answers the same request with the least code, under the same load.
 */
import type { GatewayMetrics } from '../../core/metrics.js';
import { ORGANIZATIONS, TOKEN, type BenchGateway } from './bench-gateway.js';
import {
  BASELINE_CONTACTS_PATH,
  BASELINE_SIGN_IN_PATHS,
  type SignInMethod,
} from './baseline-routes.js';
import type { LoadJob } from './load.js';
import { measures, type BenchOptions, type FigureId } from './options.js';
import { BULK_PASSWORD, BULK_USERS } from './servers.js';

export interface Figure {
  id: FigureId;
  name: string;
  aim: number;
  subject: LoadJob;
  baseline: LoadJob;
}

interface FigureSpec {
  id: FigureId;
  name: string;
  aim: number;
  /** Connections unless --connections says otherwise. */
  connections: number;
  /** The sign-in method, or undefined for the contact query. */
  method: SignInMethod | undefined;
  subjectPath: string;
  baselinePath: string;
}

const QUERY = '?q=Bulk%20User&limit=20';
const CONTACTS_PATH = `/v1/orgs/${ORGANIZATIONS.simple}/contacts${QUERY}`;

const SPECS: FigureSpec[] = [
  {
    id: 'contacts',
    name: 'cached contact query',
    aim: 0.6,
    connections: 16,
    method: undefined,
    subjectPath: CONTACTS_PATH,
    baselinePath: BASELINE_CONTACTS_PATH + QUERY,
  },
  signInSpec('sign-in', 'sign-in (search-then-bind)', 'simple', 16),
  signInSpec('digest-md5', 'sign-in, DIGEST-MD5', 'digest-md5', 16),
  // Two child processes per sign-in: 4 connections already keep both cores busy, more only
  // queue more spawns and stretch the latency.
  signInSpec('kerberos', 'sign-in, Kerberos', 'kerberos', 4),
];

function signInSpec(
  id: FigureId,
  name: string,
  method: SignInMethod,
  connections: number,
): FigureSpec {
  const subjectPath = `/v1/orgs/${ORGANIZATIONS[method]}/auth`;
  const baselinePath = BASELINE_SIGN_IN_PATHS[method];
  return { id, name, aim: 0.8, connections, method, subjectPath, baselinePath };
}

/** The sign-in methods whose bare baselines this run needs. */
export function methodsMeasured(options: BenchOptions): SignInMethod[] {
  return SPECS.flatMap((spec) => (spec.method && measures(options, spec.id) ? [spec.method] : []));
}

/** The figures this run measures, in order. */
export function defineFigures(gateway: BenchGateway, options: BenchOptions): Figure[] {
  return SPECS.filter((spec) => measures(options, spec.id)).map((spec) => {
    const job = (path: string): LoadJob => ({
      url: gateway.url + path,
      connections: options.connections ?? spec.connections,
      durationSeconds: options.durationSeconds,
      // The baselines get the token too, so both sides send the same request bytes.
      ...(spec.method
        ? { method: 'POST', headers: post(), bodies: signInBodies() }
        : { method: 'GET', headers: auth(), bodies: [] }),
    });
    const { id, name, aim } = spec;
    return { id, name, aim, subject: job(spec.subjectPath), baseline: job(spec.baselinePath) };
  });
}

/** Fills the contact cache and gives the baseline route the very same body to send. */
export async function prepareContacts(gateway: BenchGateway): Promise<void> {
  const response = await fetch(gateway.url + CONTACTS_PATH, { headers: auth() });
  const body = await response.text();
  const count = response.ok ? (JSON.parse(body) as { contacts: unknown[] }).contacts.length : 0;
  if (count !== 20) {
    throw new Error(`bench: contact query answered ${response.status} with ${count} contacts`);
  }
  gateway.state.contactsBody = body;
}

export async function countCacheMisses(metrics: GatewayMetrics): Promise<number> {
  const { values } = await metrics.cacheLookups.get();
  return values
    .filter((value) => value.labels.result === 'miss')
    .reduce((total, value) => total + value.value, 0);
}

function auth(): Record<string, string> {
  return { authorization: `Bearer ${TOKEN}` };
}

function post(): Record<string, string> {
  return { ...auth(), 'content-type': 'application/json' };
}

/** Every bulk user once, with the right password: all sign-ins must succeed. */
export function signInBodies(): string[] {
  return Array.from({ length: BULK_USERS }, (_, index) => {
    const username = `user${String(index + 1).padStart(4, '0')}`;
    return JSON.stringify({ username, password: BULK_PASSWORD });
  });
}
