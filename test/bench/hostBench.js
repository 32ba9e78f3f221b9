// Measurements in the real VS Code host: the size of the production VSIX, and how long the packaged
// extension takes to activate in code-server's extension host (loading its code plus activate()).
require('tsx/cjs');
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');
const { repoRoot } = require('../host/paths.ts');
const { createRunDir } = require('../host/runDir.ts');
const { runExtensionTests } = require('../host/runExtensionTests.ts');
const { serverEnv } = require('../host/serverEnv.ts');
const { startVsCodeServer } = require('../host/startVsCodeServer.ts');
const { writeUserSettings } = require('../host/userSettings.ts');

const VSIX = path.join(repoRoot, 'noon-vscode.vsix');
/** Each run is a fresh server and extension host, so every activation is a cold one. */
const ACTIVATION_RUNS = Number(process.env.BENCH_ACTIVATION_RUNS ?? 3);
const MARKER = 'noon-bench-activation ';

function run(title, argv) {
  const result = spawnSync(argv[0], argv.slice(1), { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${title} failed:\n${result.stdout}${result.stderr}`);
}

/** Unpacks the VSIX's extension folder and keeps it from activating by itself, so the entry can time it. */
function unpackDormant(vsix, dir) {
  run('unzip', ['unzip', '-q', vsix, 'extension/*', '-d', dir]);
  const extensionDir = path.join(dir, 'extension');
  const manifestFile = path.join(extensionDir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  manifest.activationEvents = [];
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  return extensionDir;
}

async function measureActivationOnce(vsix) {
  const dir = createRunDir('noon-bench');
  // Chromium and Playwright put their temp files under TMPDIR; they go with the run folder.
  const tmpBefore = process.env.TMPDIR;
  process.env.TMPDIR = dir.tmp;
  try {
    const extensionDir = unpackDormant(vsix, dir.root);
    const entry = path.join(dir.root, 'bench-entry', 'activationEntry.js');
    await esbuild.build({
      entryPoints: [path.join(__dirname, 'activationEntry.ts')],
      outfile: entry,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      logLevel: 'warning',
    });
    writeUserSettings(dir.userData, {});
    const server = await startVsCodeServer(dir, serverEnv(dir, {}));
    const lines = [];
    try {
      const code = await runExtensionTests({
        server,
        extensionDevelopmentPath: extensionDir,
        extensionTestsPath: entry,
        workspace: dir.workspace,
        tmpDir: dir.tmp,
        timeoutMs: 120_000,
        output: (line) => lines.push(line),
      });
      const line = lines.find((l) => l.startsWith(MARKER));
      if (code !== 0 || !line) {
        const log = server.process.readLog();
        throw new Error(`the activation entry failed (exit ${code}):\n${lines.join('\n')}\n${log}`);
      }
      return JSON.parse(line.slice(MARKER.length)).ms;
    } finally {
      await server.process.stop();
    }
  } finally {
    if (tmpBefore === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpBefore;
    dir.remove();
  }
}

const ms = (n) => `${Math.round(n)} ms`;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** Packages the production build, measures it, and returns table rows (see table.js). */
async function measureHost() {
  run('production build', [process.execPath, 'esbuild.js', '--production']);
  const rows = [];
  try {
    run('package', ['npm', 'run', '--silent', 'package']);
    rows.push({ measure: 'VSIX size (production build)', result: kb(fs.statSync(VSIX).size) });
    const times = [];
    for (let i = 0; i < ACTIVATION_RUNS; i++) times.push(await measureActivationOnce(VSIX));
    times.sort((a, b) => a - b);
    rows.push({
      measure: `activation in the VS Code host (median of ${times.length} cold starts)`,
      result: `${ms(times[Math.floor(times.length / 2)])} (${times.map(ms).join(', ')})`,
    });
  } finally {
    // Leave the development build (with source maps and tests) in place for the test runs.
    run('development build', [process.execPath, 'esbuild.js']);
  }
  return rows;
}

module.exports = { measureHost };
