import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import { onCleanup } from './cleanup';

/** A server started in its own process group. */
export interface ServerProcess {
  pid: number;
  logFile: string;
  /** The server's combined output so far (for failure reports). */
  readLog(): string;
  /** True once the server's main process has exited. */
  hasExited(): boolean;
  /** Stops the whole process group (the server forks file watchers and extension hosts) and waits for it. */
  stop(): Promise<void>;
}

/** Starts `node args...` detached, output to `logFile`, and makes sure it dies with this process. */
export function spawnServer(args: string[], env: NodeJS.ProcessEnv, logFile: string): ServerProcess {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', fd, fd], detached: true });
  fs.closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${args[0]}`);
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => {
    exited = true;
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    // The group, not just the leader: its children may outlive it.
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  // When this process is exiting there is no time for a graceful stop.
  const unregister = onCleanup(() => signalGroup('SIGKILL'));
  const stop = async (): Promise<void> => {
    unregister();
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
    signalGroup('SIGKILL');
  };
  return {
    pid,
    logFile,
    readLog: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    hasExited: () => exited,
    stop,
  };
}

/** Polls `url` until it answers with a 2xx status or `timeoutMs` passes. */
export async function waitForHttp(url: string, timeoutMs: number, server?: ServerProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (server?.hasExited()) throw new Error(`server exited before ${url} answered`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastError})`);
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** True when nothing listens on 127.0.0.1:`port` yet. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
