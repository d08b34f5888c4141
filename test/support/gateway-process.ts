/**
 * Runs the gateway as its own process, the way an operator runs it (node dist/core/main.js
 * --config FILE), for tests of what only a whole process shows: restarts, crashes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

import { projectRoot } from '../../core/project-root.js';

/** A port free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the gateway on a config file and resolves once it listens. */
export async function startGatewayProcess(config: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'dist/core/main.js'), '--config', config],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('gateway listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`gateway exited (${code}): ${output}`)));
  });
  child.stdout!.resume();
  return child;
}

/** SIGKILL, as a crash or an out-of-memory killer would end it. */
export async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
