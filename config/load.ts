import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvErrors from 'ajv-errors';
import { parseDocument } from 'yaml';

import { ConfigError } from '../core/errors.js';
import { isKnownCountry } from '../core/phones/phone-number.js';
import { projectRoot } from '../core/project-root.js';
import { substituteEnvironment } from './environment.js';
import type { GatewaySettings, OrganizationSettings } from './types.js';

const schemaPath = join(projectRoot, 'config', 'gateway.schema.json');

interface Validators {
  /** Reports what is wrong, without filling anything in (so a missing field is reported). */
  check: ValidateFunction;
  /** Fills in every default of a document that passed `check`. */
  fillDefaults: ValidateFunction;
}

let validators: Validators | undefined;

function getValidators(): Validators {
  if (validators) return validators;
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
  const build = (useDefaults: boolean): ValidateFunction => {
    const ajv = new Ajv({ allErrors: true, useDefaults, strict: true, allowUnionTypes: true });
    ajvErrors.default(ajv);
    return ajv.compile(schema);
  };
  validators = { check: build(false), fillDefaults: build(true) };
  return validators;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
}

/** Reads, checks and completes gateway.yaml; throws ConfigError listing every problem. */
export function loadSettingsFile(path: string, options: LoadOptions = {}): GatewaySettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${path}: cannot read the file (${(error as Error).message})`]);
  }
  const settings = parseSettings(text, { ...options, source: path });
  resolveFilePaths(settings, dirname(resolve(path)));
  return settings;
}

/**
 * Files named in gateway.yaml are relative to the file itself, not to wherever the gateway was
 * started from, so a service manager or a container can start it from any directory.
 */
function resolveFilePaths(settings: GatewaySettings, folder: string): void {
  const fromConfig = (file: string) => (isAbsolute(file) ? file : join(folder, file));
  for (const plugin of settings.plugins) {
    // A path names a file next to gateway.yaml; anything else is a package name.
    if (/^\.\.?\//.test(plugin.module)) plugin.module = join(folder, plugin.module);
  }
  if (settings.store.path !== ':memory:') settings.store.path = fromConfig(settings.store.path);
  settings.demo.ldif = fromConfig(settings.demo.ldif);
  for (const organization of Object.values(settings.organizations)) {
    if (organization.tls.caFile) organization.tls.caFile = fromConfig(organization.tls.caFile);
    const { kerberos } = organization;
    if (kerberos.keytab) kerberos.keytab = fromConfig(kerberos.keytab);
    if (kerberos.serviceKeytab) kerberos.serviceKeytab = fromConfig(kerberos.serviceKeytab);
  }
}

/** Same as loadSettingsFile, from YAML text. */
export function parseSettings(
  yamlText: string,
  options: LoadOptions & { source?: string } = {},
): GatewaySettings {
  const env = options.env ?? process.env;
  const raw = parseYaml(yamlText, options.source ?? 'gateway.yaml');
  const problems: string[] = [];
  const document = substituteEnvironment(raw ?? {}, env, problems) as Record<string, unknown>;
  if (problems.length > 0) throw new ConfigError(problems);

  normalizeLists(document);
  const { check, fillDefaults } = getValidators();
  if (!check(document)) throw new ConfigError(describeSchemaErrors(check.errors ?? []));
  fillDefaults(document);

  const settings = document as unknown as GatewaySettings;
  applyListenOverrides(settings, env);
  const crossProblems = checkAcrossFields(settings);
  if (crossProblems.length > 0) throw new ConfigError(crossProblems);
  return settings;
}

function parseYaml(text: string, source: string): unknown {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => {
        const where = error.linePos?.[0];
        const position = where ? `:${where.line}:${where.col}` : '';
        return `${source}${position}: ${error.message.split(' at line ')[0]}`;
      }),
    );
  }
  try {
    return document.toJS();
  } catch (error) {
    // The yaml library refuses documents whose aliases would expand without bound.
    throw new ConfigError([`${source}: ${(error as Error).message}`]);
  }
}

/**
 * Shorthands become lists: the admin portal sends attributes as one comma-separated string,
 * and a mapping of one plugin may be written as a single object.
 */
function normalizeLists(document: Record<string, unknown>): void {
  const organizations = document['organizations'];
  if (organizations === null || typeof organizations !== 'object') return;
  for (const organization of Object.values(organizations as Record<string, unknown>)) {
    if (organization === null || typeof organization !== 'object') continue;
    const record = organization as Record<string, unknown>;
    const mapping = record['mapping'];
    if (mapping !== null && typeof mapping === 'object' && !Array.isArray(mapping)) {
      record['mapping'] = [mapping];
    }
    if (typeof record['attributes'] === 'string') {
      record['attributes'] = record['attributes']
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name.length > 0);
    }
  }
}

function describeSchemaErrors(errors: ErrorObject[]): string[] {
  const lines = errors.map((error) => {
    const path = toDottedPath(error.instancePath);
    if (error.keyword === 'additionalProperties') {
      const key = String(error.params['additionalProperty']);
      return `${path ? `${path}: ` : ''}unknown key '${key}'`;
    }
    if (error.keyword === 'propertyNames') {
      return `${path}: organization ids are 1-64 letters, digits, '-' or '_'`;
    }
    if (error.keyword === 'enum') {
      const allowed = (error.params['allowedValues'] as unknown[]).join(', ');
      return `${path}: must be one of ${allowed}`;
    }
    return `${path || '(root)'}: ${error.message ?? 'is invalid'}`;
  });
  return [...new Set(lines)].filter((line) => !line.includes('property name must be valid'));
}

function toDottedPath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter((part) => part.length > 0)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
}

function applyListenOverrides(settings: GatewaySettings, env: NodeJS.ProcessEnv): void {
  if (env['HOST']) settings.server.host = env['HOST'];
  // Digits only: Number() would also take `1e3`, `0x50` or ` 80 `.
  if (env['PORT']) settings.server.port = /^\d{1,5}$/.test(env['PORT']) ? Number(env['PORT']) : NaN;
}

function checkAcrossFields(settings: GatewaySettings): string[] {
  const problems: string[] = [];
  const port = settings.server.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push('PORT: must be a port number between 0 and 65535');
  }
  if (Object.keys(settings.organizations).length === 0) {
    problems.push('organizations: configure at least one organization');
  }
  for (const [id, organization] of Object.entries(settings.organizations)) {
    problems.push(...checkOrganization(`organizations.${id}`, organization));
  }
  const organizationIds = new Set(Object.keys(settings.organizations));
  const seenTokens = new Set<string>();
  settings.api.tokens.forEach((token, index) => {
    const path = `api.tokens[${index}]`;
    if (seenTokens.has(token.token))
      problems.push(`${path}.token: the same token is declared twice`);
    seenTokens.add(token.token);
    for (const organization of token.organizations) {
      if (organization !== '*' && !organizationIds.has(organization)) {
        problems.push(`${path}.organizations: unknown organization '${organization}'`);
      }
    }
  });
  return problems;
}

function checkOrganization(path: string, organization: OrganizationSettings): string[] {
  const problems: string[] = [];
  const country = organization.defaultCountry;
  if (country && !isKnownCountry(country)) {
    problems.push(`${path}.defaultCountry: '${country}' is no country with a phone numbering plan`);
  }
  const secure = organization.serverUrl.toLowerCase().startsWith('ldaps://');
  if (secure && organization.startTls) {
    problems.push(`${path}.startTls: StartTLS cannot be used on an ldaps:// connection`);
  }
  if (!organization.baseDn && !organization.directoryDomain) {
    problems.push(`${path}: set directoryDomain (e.g. ldap.example.com) or baseDn`);
  }
  const keytabBind = organization.serviceBind === 'gssapi' && organization.kerberos.serviceKeytab;
  if (!organization.bindPassword && !keytabBind) {
    problems.push(`${path}.bindPassword: must not be empty (an empty simple bind is anonymous)`);
  }
  if (organization.serviceBind === 'gssapi' && !organization.kdcServer) {
    problems.push(`${path}.kdcServer: required when serviceBind is gssapi`);
  }
  if (organization.authMethod === 'kerberos') {
    if (!organization.kdcServer)
      problems.push(`${path}.kdcServer: required when authMethod is kerberos`);
    if (!organization.kerberos.keytab) {
      problems.push(
        `${path}.kerberos.keytab: required when authMethod is kerberos (the gateway's key)`,
      );
    }
    if (!organization.kerberos.servicePrincipal) {
      problems.push(`${path}.kerberos.servicePrincipal: required when authMethod is kerberos`);
    }
  }
  if (organization.attributes.length === 0) {
    problems.push(`${path}.attributes: list at least one attribute`);
  }
  return problems;
}
