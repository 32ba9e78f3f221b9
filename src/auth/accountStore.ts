import * as vscode from 'vscode';
import { keyLabel } from '../core/keyFile';
import type { AccountInfo } from '../core/status';
import type { Identity, NoonKey } from '../core/types';
import { secretKeys } from '../common/ids';
import type { Logger } from '../common/logger';

export type { AccountInfo };

/** The last identity and session cookies of an account, kept together in one secret. */
export interface StoredSession {
  jar: string;
  identity?: Identity;
  gatewayUrl: string;
}

/**
 * Accounts, their keys and their sessions, all in SecretStorage. When SecretStorage cannot write
 * (for example Linux without a keyring), everything is kept in memory for this window only and
 * `ephemeral` says so; nothing is ever written to settings, state or files instead.
 */
export class AccountStore implements vscode.Disposable {
  private readonly memory = new Map<string, string>();
  private ephemeralReason: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Logger,
  ) {
    // Another window importing, switching or removing changes the index or a key.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === secretKeys.accounts || e.key.startsWith('noon.key.')) this.changed.fire();
    });
  }

  /** Why secrets live in memory only, or undefined when SecretStorage works. */
  get ephemeral(): string | undefined {
    return this.ephemeralReason;
  }

  async list(): Promise<AccountInfo[]> {
    const raw = await this.read(secretKeys.accounts);
    if (!raw) return [];
    try {
      const parsed = JSON.parse(raw) as unknown;
      return Array.isArray(parsed) ? parsed.filter(isAccountInfo) : [];
    } catch {
      this.log.warn('The stored account list is unreadable; starting with no accounts.');
      return [];
    }
  }

  async getKey(keyId: string): Promise<NoonKey | undefined> {
    const raw = await this.read(secretKeys.key(keyId));
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as NoonKey;
    } catch {
      this.log.warn(`The stored key of account ${keyId} is unreadable.`);
      return undefined;
    }
  }

  /** Adds the account, or updates it when the same key_id is imported again. */
  async save(key: NoonKey): Promise<{ info: AccountInfo; added: boolean }> {
    const info: AccountInfo = {
      keyId: key.keyId,
      label: keyLabel(key),
      projectCode: key.projectCode,
      channelIdentifier: key.channelIdentifier,
    };
    const accounts = await this.list();
    const index = accounts.findIndex((a) => a.keyId === key.keyId);
    const added = index < 0;
    if (added) accounts.push(info);
    else accounts[index] = info;
    // The same key imported again keeps its session; a changed key or project starts afresh.
    const previous = added ? undefined : await this.getKey(key.keyId);
    const sameKey = previous?.privateKeyPem === key.privateKeyPem && previous.projectCode === key.projectCode;
    // The key first: an index entry must never point at a missing key.
    await this.write(secretKeys.key(key.keyId), JSON.stringify(key));
    await this.write(secretKeys.accounts, JSON.stringify(accounts));
    if (!added && !sameKey) await this.delete(secretKeys.session(key.keyId));
    this.changed.fire();
    return { info, added };
  }

  async remove(keyId: string): Promise<void> {
    const accounts = (await this.list()).filter((a) => a.keyId !== keyId);
    await this.write(secretKeys.accounts, JSON.stringify(accounts));
    await this.delete(secretKeys.key(keyId));
    await this.delete(secretKeys.session(keyId));
    this.changed.fire();
  }

  async getSession(keyId: string): Promise<StoredSession | undefined> {
    const raw = await this.read(secretKeys.session(keyId));
    if (!raw) return undefined;
    try {
      const s = JSON.parse(raw) as StoredSession;
      return typeof s.jar === 'string' && typeof s.gatewayUrl === 'string' ? s : undefined;
    } catch {
      return undefined;
    }
  }

  async setSession(keyId: string, session: StoredSession | undefined): Promise<void> {
    if (session) await this.write(secretKeys.session(keyId), JSON.stringify(session));
    else await this.delete(secretKeys.session(keyId));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.memory.clear();
  }

  private async read(key: string): Promise<string | undefined> {
    if (this.memory.has(key)) return this.memory.get(key);
    try {
      return await this.secrets.get(key);
    } catch (e) {
      this.log.warn(`Could not read from SecretStorage: ${errorText(e)}`);
      return undefined;
    }
  }

  private async write(key: string, value: string): Promise<void> {
    if (this.ephemeralReason === undefined) {
      try {
        await this.secrets.store(key, value);
        return;
      } catch (e) {
        this.ephemeralReason = errorText(e);
        this.log.warn(`SecretStorage refused to store; keeping credentials in memory for this window: ${this.ephemeralReason}`);
      }
    }
    this.memory.set(key, value);
  }

  private async delete(key: string): Promise<void> {
    this.memory.delete(key);
    try {
      await this.secrets.delete(key);
    } catch (e) {
      this.log.warn(`Could not delete from SecretStorage: ${errorText(e)}`);
    }
  }
}

function isAccountInfo(x: unknown): x is AccountInfo {
  const a = x as AccountInfo;
  return !!a && typeof a.keyId === 'string' && typeof a.label === 'string' && typeof a.projectCode === 'string';
}

function errorText(e: unknown): string {
  // Messages from the OS keyring never contain the value being stored.
  return e instanceof Error ? e.message : String(e);
}
