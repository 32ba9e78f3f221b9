#!/usr/bin/env node
// `npm run demo`: builds and packages the extension, starts the HTTPS test gateway with a fresh key
// registered, and serves VS Code (code-server) with the packaged extension installed and pointed at
// that gateway. Open the printed URL in a browser; Ctrl-C stops everything and removes the temp files.
//
//   npm run demo [-- --port 8080 --gateway-port 8443]   (a busy or 0 port: any free one)
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} needs a port number`);
    process.exit(2);
  }
  return value;
}

function step(title, argv) {
  console.log(`> ${title}`);
  const result = spawnSync(argv[0], argv.slice(1), { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${title} failed`);
    process.exit(1);
  }
}

async function main() {
  const port = option('--port', 8080);
  const gatewayPort = option('--gateway-port', 8443);
  step('build', [process.execPath, 'esbuild.js']);
  step('package', ['npm', 'run', '--silent', 'package']);
  step('code-server', [path.join(root, '.ci', 'install-vscode-host.sh')]);

  // The launcher modules are TypeScript, shared with the tests.
  require('tsx/cjs');
  const { startGateway } = require('../gateway/gateway');
  const { trustCaEnv } = require('../host/hostTls');
  const { createRunDir } = require('../host/runDir');
  const { serverEnv } = require('../host/serverEnv');
  const { portIsFree } = require('../host/serverProcess');
  const { installVsix, startCodeServer } = require('../host/startCodeServer');
  const { gatewaySettings } = require('../host/testEnvironment');
  const { writeRegisteredKey } = require('../host/testKeys');
  const { writeUserSettings } = require('../host/userSettings');
  const { onCleanup } = require('../host/cleanup');

  const run = createRunDir('noon-demo');
  const gateway = await startGateway({ tls: true, port: (await portIsFree(gatewayPort)) ? gatewayPort : 0, dir: run.root });
  const keyFile = path.join(run.root, 'noon-demo-key.json');
  const account = writeRegisteredKey(gateway, keyFile);

  const env = serverEnv(run, trustCaEnv(gateway.caPem, path.join(run.root, 'ca-bundle.pem')));
  installVsix(run, path.join(root, 'noon-vscode.vsix'), env);
  writeUserSettings(run.userData, gatewaySettings(gateway.url));
  const server = await startCodeServer(run, env, port);

  const url = `${server.url}/?folder=${encodeURIComponent(run.workspace)}`;
  console.log('');
  console.log(`VS Code:  ${url}`);
  console.log(`Gateway:  ${gateway.url} (signs in as "${account.username}")`);
  console.log(`Key file: ${keyFile}`);
  console.log('');
  console.log('Open the VS Code URL, run "Noon: Import Credentials" (F1) and choose the key file above.');
  console.log('Then run "Noon: Send Request" to call the gateway. Press Ctrl-C here to stop and clean up.');
  // Cleanups run newest first, so this line comes before the servers stop.
  onCleanup(() => console.log('\nStopping VS Code and the gateway; removing the temporary files, key file included.'));

  // Stay up until a signal: the cleanup registered by the launcher stops the server and removes the
  // run folder (key file included) on SIGINT/SIGTERM.
  setInterval(() => {
    if (server.process.hasExited()) {
      console.error('code-server stopped unexpectedly:\n' + server.process.readLog().slice(-4000));
      process.exit(1);
    }
  }, 2000);
}

main().catch((err) => {
  console.error(`demo failed: ${err.stack || err.message}`);
  process.exit(1);
});
