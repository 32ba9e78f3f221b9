import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { GatewayControl } from '../gateway/control';
import type { NoonApi } from '../../src/extension';

export const EXTENSION_ID = 'noon-tools.noon-vscode';

function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} must be set by the test host`);
  return value;
}

export const gatewayUrl = () => env('NOON_TEST_GATEWAY_URL');
export const keysDir = () => env('NOON_TEST_KEYS_DIR');
export const keyFile = (name: string) => path.join(keysDir(), name);

let control: GatewayControl | undefined;
export function gateway(): GatewayControl {
  control ??= new GatewayControl(gatewayUrl(), fs.readFileSync(env('NOON_TEST_GATEWAY_CA'), 'utf8'));
  return control;
}

export async function noon(): Promise<NoonApi> {
  const ext = vscode.extensions.getExtension<NoonApi>(EXTENSION_ID);
  assert.ok(ext, 'the extension is installed');
  return ext.activate();
}

/** The key_id and public key of a key file, read the way the gateway would register it. */
export function accountOf(name: string, username: string, opts: { deactivated?: boolean } = {}) {
  const json = JSON.parse(fs.readFileSync(keyFile(name), 'utf8').replace(/^\uFEFF/, '')) as Record<string, string>;
  const pem = json.private_key.replace(/\\n/g, '\n');
  const publicKeyPem = crypto.createPublicKey(crypto.createPrivateKey(pem)).export({ type: 'spki', format: 'pem' }).toString();
  return {
    keyId: json.key_id,
    publicKeyPem,
    projectCode: json.project_code,
    username,
    userCode: `u-${json.key_id.slice(-6)}`,
    ...opts,
  };
}

/** Every line of the private key's PEM body in a key file: none of them may ever show up anywhere. */
export function keyLines(name: string): string[] {
  const json = JSON.parse(fs.readFileSync(keyFile(name), 'utf8').replace(/^\uFEFF/, '')) as Record<string, string>;
  return json.private_key
    .replace(/\\n/g, '\n')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && !l.startsWith('-----'));
}

export async function removeAllAccounts(api: NoonApi): Promise<void> {
  for (const a of await api.accounts()) {
    await vscode.commands.executeCommand('noon.removeCredentials', { keyId: a.keyId, skipConfirmation: true });
  }
  assert.deepStrictEqual(await api.accounts(), []);
}

/** Runs a command that must fail and returns its error message. */
export async function commandError(command: string, ...args: unknown[]): Promise<string> {
  try {
    await vscode.commands.executeCommand(command, ...args);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  assert.fail(`${command} was expected to fail`);
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}
