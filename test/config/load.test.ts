import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { loadSettingsFile, parseSettings } from '../../config/load.js';
import { ConfigError } from '../../core/errors.js';
import { checkDirectorySettings } from '../../core/directory/settings-check.js';
import { projectRoot } from '../../core/project-root.js';

const minimal = (organization: string) => `
organizations:
  acme:
${organization
  .trim()
  .split('\n')
  .map((line) => `    ${line}`)
  .join('\n')}
`;

const valid = `
serverUrl: ldap://127.0.0.1:3389
directoryDomain: ldap.example.com
organizationUnit: users
bindUsername: cn=gateway,dc=ldap,dc=example,dc=com
bindPassword: secret
userIdAttribute: mail
`;

function problemsOf(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseSettings(yaml, { env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('the configuration was accepted');
}

describe('configuration loading', () => {
  it('fills in every default of a minimal organization', () => {
    const settings = parseSettings(minimal(valid), { env: {} });
    const acme = settings.organizations['acme']!;
    assert.equal(acme.authMethod, 'simple');
    assert.equal(acme.extensionAttribute, 'telephoneNumber');
    assert.equal(acme.tls.rejectUnauthorized, true);
    assert.equal(acme.pool.size, 8);
    assert.equal(settings.server.port, 8080);
    assert.deepEqual(settings.api.tokens, []);
  });

  it('names the path of a server URL without ldap:// or ldaps://', () => {
    for (const url of ['http://x', 'ldap://user:secret@127.0.0.1:3389', 'ldap://x/dc=a']) {
      const problems = problemsOf(minimal(valid.replace('ldap://127.0.0.1:3389', url)));
      assert.ok(
        problems.some((line) =>
          line.startsWith('organizations.acme.serverUrl: must start with ldap:// or ldaps://'),
        ),
        `${url}: ${problems.join('\n')}`,
      );
    }
  });

  it('reports a missing required field with what to set', () => {
    const problems = problemsOf(minimal(valid.replace('serverUrl: ldap://127.0.0.1:3389', '')));
    assert.ok(
      problems.some((line) => line.includes('organizations.acme: missing serverUrl')),
      problems.join('\n'),
    );
  });

  it('refuses a missing service password unless a keytab stands in for it', () => {
    const problems = problemsOf(minimal(valid.replace('bindPassword: secret', '')));
    assert.ok(
      problems.some((line) => line.startsWith('organizations.acme.bindPassword: must not')),
    );
    const withKeytab = valid.replace(
      'bindPassword: secret',
      'serviceBind: gssapi\nkdcServer: 127.0.0.1:88\nkerberos: { serviceKeytab: svc.keytab }',
    );
    assert.ok(parseSettings(minimal(withKeytab), { env: {} }).organizations['acme']);
  });

  it('reports an unknown key by name', () => {
    const problems = problemsOf(minimal(`${valid}\nbindPasword: typo`));
    assert.ok(
      problems.includes("organizations.acme: unknown key 'bindPasword'"),
      problems.join('\n'),
    );
  });

  it('accepts attributes as the comma-separated string the admin portal sends', () => {
    const settings = parseSettings(minimal(`${valid}\nattributes: "cn, mail ,telephoneNumber,"`), {
      env: {},
    });
    assert.deepEqual(settings.organizations['acme']!.attributes, ['cn', 'mail', 'telephoneNumber']);
  });

  it('reads secrets from environment variables', () => {
    const yaml = minimal(valid.replace('bindPassword: secret', 'bindPassword: ${ACME_PW}'));
    const settings = parseSettings(yaml, { env: { ACME_PW: 'from-env' } });
    assert.equal(settings.organizations['acme']!.bindPassword, 'from-env');
  });

  it('names the variable and the path when a referenced variable is not set', () => {
    const yaml = minimal(valid.replace('bindPassword: secret', 'bindPassword: ${ACME_PW}'));
    assert.deepEqual(problemsOf(yaml), [
      'organizations.acme.bindPassword: environment variable ACME_PW is not set',
    ]);
  });

  it('uses the fallback of ${VAR:-fallback} when the variable is not set', () => {
    const yaml = minimal(
      valid.replace('bindPassword: secret', 'bindPassword: ${ACME_PW:-fallback}'),
    );
    assert.equal(parseSettings(yaml, { env: {} }).organizations['acme']!.bindPassword, 'fallback');
  });

  it('takes PORT as digits only', () => {
    for (const port of ['1e3', '0x50', '80.0', ' 80', '99999']) {
      assert.deepEqual(problemsOf(minimal(valid), { PORT: port }), [
        'PORT: must be a port number between 0 and 65535',
      ]);
    }
  });

  it('lets HOST and PORT override the listen address', () => {
    const settings = parseSettings(minimal(valid), { env: { HOST: '0.0.0.0', PORT: '9999' } });
    assert.equal(settings.server.host, '0.0.0.0');
    assert.equal(settings.server.port, 9999);
  });

  it('refuses StartTLS on an ldaps:// URL', () => {
    const yaml = minimal(
      valid.replace('ldap://127.0.0.1:3389', 'ldaps://127.0.0.1:3636') + '\nstartTls: true',
    );
    assert.ok(problemsOf(yaml).some((line) => line.startsWith('organizations.acme.startTls:')));
  });

  it('refuses an organization without directoryDomain or baseDn', () => {
    const yaml = minimal(valid.replace('directoryDomain: ldap.example.com', ''));
    assert.ok(problemsOf(yaml).some((line) => line.includes('set directoryDomain')));
  });

  it('refuses a token that names an unknown organization', () => {
    const yaml = `api:\n  tokens:\n    - {name: a, token: abcdefghijklmnopqrstuvwxyz, organizations: [nope]}\n${minimal(valid)}`;
    assert.ok(problemsOf(yaml).some((line) => line.includes("unknown organization 'nope'")));
  });

  it('refuses an auth method that cannot be a plugin type name', () => {
    const problems = problemsOf(minimal(`${valid}\nauthMethod: NTLM v2`));
    assert.ok(
      problems.some((line) =>
        line.startsWith('organizations.acme.authMethod: must be an auth plugin type name'),
      ),
      problems.join('\n'),
    );
  });

  it('refuses a default country without a numbering plan', () => {
    const problems = problemsOf(minimal(`${valid}\ndefaultCountry: XX`));
    assert.ok(
      problems.includes(
        "organizations.acme.defaultCountry: 'XX' is no country with a phone numbering plan",
      ),
      problems.join('\n'),
    );
  });

  it('takes one mapping plugin as a chain of one', () => {
    const settings = parseSettings(minimal(`${valid}\nmapping: { type: default }`), { env: {} });
    assert.deepEqual(settings.organizations['acme']?.mapping, [{ type: 'default', options: {} }]);
  });

  it('refuses a file without organizations', () => {
    assert.deepEqual(problemsOf(''), ['organizations: configure at least one organization']);
  });

  it('refuses a token with spaces, which no Authorization header could carry', () => {
    const yaml = `api:\n  tokens:\n    - {name: a, token: 'has space 0123456789abcdef'}\n${minimal(valid)}`;
    assert.ok(
      problemsOf(yaml).includes('api.tokens[0].token: must be printable ASCII without spaces'),
    );
  });

  it('reports YAML syntax errors with a line number', () => {
    const problems = problemsOf('organizations:\n  acme: [unclosed\n');
    assert.match(problems[0] ?? '', /gateway\.yaml:\d+:\d+: /);
  });

  it('refuses aliases that would expand without bound, as a configuration problem', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 10; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const problems = problemsOf(`${levels.join('\n')}\n${minimal(valid)}`);
    assert.match(problems[0] ?? '', /^gateway\.yaml: .*alias/i);
  });

  it('keeps an organization named __proto__ an organization', () => {
    const settings = parseSettings(minimal(valid).replace('acme:', '__proto__:'), { env: {} });
    assert.ok(Object.hasOwn(settings.organizations, '__proto__'));
    assert.equal(settings.organizations['__proto__']?.userIdAttribute, 'mail');
  });

  it('loads the gateway.yaml that ships with the project', () => {
    const settings = loadSettingsFile(join(projectRoot, 'gateway.yaml'), { env: {} });
    assert.ok(settings.organizations['demo']);
    assert.equal(settings.demo.enabled, true);
  });
});

describe('configuration schema', () => {
  it('gives every field a description and a default', () => {
    const schema = JSON.parse(
      readFileSync(join(projectRoot, 'config', 'gateway.schema.json'), 'utf8'),
    );
    const missing: string[] = [];
    const visit = (node: Record<string, unknown>, path: string) => {
      const properties = (node['properties'] ?? {}) as Record<string, Record<string, unknown>>;
      for (const [name, field] of Object.entries(properties)) {
        const fieldPath = `${path}.${name}`;
        if (typeof field['description'] !== 'string') missing.push(`${fieldPath} description`);
        if (!('default' in field)) missing.push(`${fieldPath} default`);
        visit(field, fieldPath);
      }
    };
    visit(schema, '');
    visit(schema.definitions.organization, 'organizations.*');
    assert.deepEqual(missing, []);
  });
});

describe('directory settings checked at start-up', () => {
  const organization = (overrides: Record<string, unknown>) =>
    parseSettings(
      JSON.stringify({
        organizations: {
          acme: {
            serverUrl: 'ldap://127.0.0.1:1',
            directoryDomain: 'example.com',
            bindUsername: 'cn=x',
            bindPassword: 'x',
            userIdAttribute: 'uid',
            ...overrides,
          },
        },
      }),
      { env: {} },
    ).organizations;

  it('accepts the default contact filter and no CA file', () => {
    assert.deepEqual(checkDirectorySettings(organization({})), []);
  });

  it('names a contact filter that does not parse', () => {
    const problems = checkDirectorySettings(organization({ contacts: { filter: '(&(cn=a)' } }));
    assert.deepEqual(problems, [
      'organizations.acme.contacts.filter: not a valid LDAP filter (RFC 4515)',
    ]);
  });

  it('names a CA file that cannot be read', () => {
    const problems = checkDirectorySettings(
      organization({ tls: { caFile: '/nonexistent/ca.pem' } }),
    );
    assert.deepEqual(problems, [
      'organizations.acme.tls.caFile: cannot read /nonexistent/ca.pem (ENOENT)',
    ]);
  });

  it('names a CA file without a certificate', () => {
    const problems = checkDirectorySettings(
      organization({ tls: { caFile: join(projectRoot, 'README.md') } }),
    );
    assert.match(problems[0] ?? '', /holds no PEM certificate/);
  });
});

describe('file paths in gateway.yaml', () => {
  it('are relative to the configuration file, not the working directory', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ldap-gateway-config-'));
    const file = join(folder, 'gateway.yaml');
    writeFileSync(
      file,
      `store: { path: state/links.db }\ndemo: { ldif: people.ldif }\n${minimal(valid)}`,
    );
    const settings = loadSettingsFile(file, { env: {} });
    assert.equal(settings.store.path, join(folder, 'state/links.db'));
    assert.equal(settings.demo.ldif, join(folder, 'people.ldif'));
    rmSync(folder, { recursive: true });
  });
});
