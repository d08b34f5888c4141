/**
 * Which code a run measured: the commit, and the gateway's files changed since, which a figure
 * taken in a working tree also reflects.
 */
import { execFileSync } from 'node:child_process';

import { projectRoot } from '../../../core/project-root.js';

/** The gateway's code, as opposed to the bench's and the tests'. */
const GATEWAY_DIRS = ['core', 'plugins', 'config'];

export function describeCodeVersion(): string {
  try {
    const commit = git(['rev-parse', '--short', 'HEAD']).trim();
    const changed = git(['status', '--porcelain', '--', ...GATEWAY_DIRS])
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    if (changed.length === 0) return `commit ${commit}, the gateway's code unchanged since`;
    return `commit ${commit} with uncommitted changes to ${changed.join(', ')}`;
  } catch {
    return 'unknown (no git)';
  }
}

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: 'pipe' });
}
