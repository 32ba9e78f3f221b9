// Loaded by the VS Code extension host as `extensionTestsPath` during `npm run bench`: activates the
// extension, which nothing has activated yet, and prints how long that took for the bench to read.
import * as vscode from 'vscode';

const ACTIVATION_MARKER = 'noon-bench-activation ';
const EXTENSION_ID = 'noon-tools.noon-vscode';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  // Measuring an extension that is already running would time nothing.
  if (extension.isActive) throw new Error(`${EXTENSION_ID} was activated before the measurement`);
  const start = performance.now();
  await extension.activate();
  const ms = performance.now() - start;
  console.log(`${ACTIVATION_MARKER}${JSON.stringify({ ms })}`);
}
