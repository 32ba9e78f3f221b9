import type { RunDir } from './runDir';

/**
 * Environment for a VS Code server and the extension host it forks. The caller's environment is the
 * base, minus what would leak another editor or proxy into the run; TMPDIR points into the run folder
 * and the extension gallery is off (it would only try to reach the internet).
 */
export function serverEnv(run: RunDir, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(VSCODE_|ELECTRON_)|^NODE_OPTIONS$|^(https?|all|no)_proxy$/i.test(name)) continue;
    env[name] = value;
  }
  return { ...env, TMPDIR: run.tmp, EXTENSIONS_GALLERY: '{"serviceUrl":""}', ...extra };
}
