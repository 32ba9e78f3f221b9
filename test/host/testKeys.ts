import * as fs from 'fs';
import * as path from 'path';
import type { TestAccount } from '../gateway/gateway';
import { generateTestKey } from '../gateway/keys';
import { sharedDir } from './paths';

/** The part of the test gateway that key preparation needs. */
export interface AccountRegistry {
  register(account: TestAccount): void;
}

/** The accounts behind the generated key files. */
export interface TestKeyAccounts {
  valid: TestAccount;
  second: TestAccount;
}

/** Generates a key, registers its account at the gateway and writes the key file (mode 0600). */
export function writeRegisteredKey(gateway: AccountRegistry, file: string): TestAccount {
  const key = generateTestKey();
  gateway.register(key.account);
  fs.writeFileSync(file, key.keyFileJson, { mode: 0o600 });
  return key.account;
}

/**
 * Fills `dir` with the key files the tests use: `valid.json` and `second.json` (two accounts known
 * to the gateway) plus a copy of every key file users have reported, under its own name.
 */
export function prepareKeysDir(gateway: AccountRegistry, dir: string): TestKeyAccounts {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const valid = writeRegisteredKey(gateway, path.join(dir, 'valid.json'));
  const second = writeRegisteredKey(gateway, path.join(dir, 'second.json'));
  const cases = path.join(sharedDir(), 'cases', 'keys');
  for (const name of fs.readdirSync(cases).filter((f) => f.endsWith('.json'))) {
    fs.writeFileSync(path.join(dir, name), fs.readFileSync(path.join(cases, name)), { mode: 0o600 });
  }
  return { valid, second };
}
