import * as fs from 'fs';
import * as path from 'path';

/** The repository this checkout lives in (two levels above this folder). */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** Where tests drop screenshots and reports; kept out of git. */
export const resultsDir = path.join(repoRoot, 'test-results');

/** The Chromium that drives the web workbench (Debian's package unless overridden). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The team's shared inputs: `<repo>/../shared` in a checkout beside it, else the machine-wide copy. */
export function sharedDir(): string {
  const beside = path.resolve(repoRoot, '..', 'shared');
  return fs.existsSync(path.join(beside, 'cases')) ? beside : '/work/shared';
}

/** The code-server package installed by `.ci/install-vscode-host.sh`. */
export function codeServerDir(): string {
  const host = process.env.VSCODE_HOST_DIR ?? path.join(repoRoot, '.vscode-host');
  const dir = path.join(host, 'node_modules', 'code-server');
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    throw new Error(`code-server is not installed in ${host}; run .ci/install-vscode-host.sh`);
  }
  return dir;
}

/** code-server's own CLI (used to install a VSIX and to serve the workbench with it). */
export function codeServerCli(): string {
  return path.join(codeServerDir(), 'out', 'node', 'entry.js');
}

/** The plain VS Code server inside code-server, which accepts `--enable-smoke-test-driver`. */
export function vsCodeServerMain(): string {
  return path.join(codeServerDir(), 'lib', 'vscode', 'out', 'server-main.js');
}
