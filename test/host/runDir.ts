import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { onCleanup } from './cleanup';

/** Private folders for one run of a VS Code server; everything it writes stays below `root`. */
export interface RunDir {
  root: string;
  /** TMPDIR for the server, the extension host and the browser (their sockets and profiles land here). */
  tmp: string;
  userData: string;
  extensions: string;
  serverData: string;
  workspace: string;
  /** An empty code-server config file, so code-server never writes one under HOME. */
  config: string;
  remove(): void;
}

/** Creates a fresh run folder under the system temp dir. Set KEEP_TMP=1 to keep it for a post-mortem. */
export function createRunDir(prefix: string): RunDir {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const sub = (name: string): string => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };
  const config = path.join(root, 'config.yaml');
  fs.writeFileSync(config, '');
  const remove = (): void => {
    // Retries cover files a just-killed server or browser was still closing.
    if (!process.env.KEEP_TMP) fs.rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  };
  // Also on exit and signals, after anything started later has been stopped.
  const unregister = onCleanup(remove);
  return {
    root,
    tmp: sub('tmp'),
    userData: sub('user-data'),
    extensions: sub('extensions'),
    serverData: sub('server-data'),
    workspace: sub('workspace'),
    config,
    remove() {
      unregister();
      remove();
    },
  };
}
