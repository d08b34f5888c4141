/** `${VAR}` or `${VAR:-fallback}`; `$${` writes a literal `${`. */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces environment references in every string of a parsed YAML document. A reference to a
 * variable that is not set (and has no fallback) is reported with the path of the string.
 */
export function substituteEnvironment(
  value: unknown,
  env: NodeJS.ProcessEnv,
  problems: string[],
  path = '',
): unknown {
  if (typeof value === 'string') return substituteString(value, env, problems, path);
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      substituteEnvironment(item, env, problems, `${path}[${index}]`),
    );
  }
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const substituted = substituteEnvironment(item, env, problems, path ? `${path}.${key}` : key);
      // Defined, not assigned: a key named `__proto__` stays a key instead of a prototype.
      Object.defineProperty(result, key, {
        value: substituted,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  }
  return value;
}

function substituteString(
  text: string,
  env: NodeJS.ProcessEnv,
  problems: string[],
  path: string,
): string {
  return text.replace(
    REFERENCE,
    (whole, name: string | undefined, fallback: string | undefined) => {
      if (name === undefined) return '${';
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push(`${path || '(root)'}: environment variable ${name} is not set`);
      return '';
    },
  );
}
