import * as vscode from 'vscode';
import { NoonClient } from '../core/client';
import { NoonError } from '../core/errors';
import { resolveProxy } from '../core/proxy';
import type { AccountInfo, SessionState } from '../core/status';
import type { ApiRequest, ApiResponse, Identity } from '../core/types';
import { ACTIVE_ACCOUNT_STATE, contexts } from '../common/ids';
import type { NoonConfig } from '../common/config';
import type { Logger } from '../common/logger';
import type { AccountStore, StoredSession } from './accountStore';

interface ClientEntry {
  client: Promise<NoonClient>;
  /** The client once built, for the synchronous paths (sign-out, saving the identity, disposal). */
  ready?: NoonClient;
  gatewayUrl: string;
  /** The settings the client was built with; a request after any of them changed needs a new client. */
  settings: string;
}

/**
 * Owns the active account, one HTTP client (and so one cookie jar) per account, and the session
 * state the status bar shows. Sign-in happens on demand, never during activation.
 */
export class Sessions implements vscode.Disposable {
  private current: SessionState = { kind: 'noAccount' };
  private readonly clients = new Map<string, ClientEntry>();
  private readonly stateChanged = new vscode.EventEmitter<SessionState>();
  readonly onDidChangeState = this.stateChanged.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly signingIn = new Map<string, Promise<Identity>>();
  /** The last whoami answer per account, stored with the cookies so a reload shows it offline. */
  private readonly identities = new Map<string, Identity>();
  /** Session writes of one account happen in order; a late write must not undo a newer one. */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: AccountStore,
    private readonly workspaceState: vscode.Memento,
    private readonly config: () => NoonConfig,
    private readonly log: Logger,
  ) {
    this.disposables.push(this.stateChanged, store.onDidChange(() => void this.reload()));
  }

  get state(): SessionState {
    return this.current;
  }

  get activeAccount(): AccountInfo | undefined {
    return this.current.kind === 'noAccount' ? undefined : this.current.account;
  }

  /** Picks the workspace's account (or the first one) and restores its stored session, offline. */
  async reload(): Promise<void> {
    const accounts = await this.store.list();
    const wanted = this.workspaceState.get<string>(ACTIVE_ACCOUNT_STATE);
    const account = accounts.find((a) => a.keyId === wanted) ?? accounts[0];
    for (const keyId of [...this.clients.keys()]) {
      if (!accounts.some((a) => a.keyId === keyId)) this.dropClient(keyId);
    }
    if (!account) {
      this.setState({ kind: 'noAccount' });
      return;
    }
    const previous = this.current;
    if (previous.kind !== 'noAccount' && previous.account.keyId === account.keyId && previous.kind !== 'signedOut') {
      // Same account as before: keep the live state, refresh only the label and project.
      this.setState({ ...previous, account } as SessionState);
      return;
    }
    await this.restore(account);
  }

  /** Makes `keyId` this workspace's account. */
  async activate(keyId: string): Promise<void> {
    await this.workspaceState.update(ACTIVE_ACCOUNT_STATE, keyId);
    const account = (await this.store.list()).find((a) => a.keyId === keyId);
    if (!account) throw new Error(`No stored account has the key id ${keyId}.`);
    await this.restore(account);
  }

  /** The stored key of an account was replaced: its next call builds a client with the new key. */
  keyReplaced(keyId: string): void {
    this.dropClient(keyId);
  }

  /** An account is about to be removed: no session write of its may land after the removal. */
  async accountRemoved(keyId: string): Promise<void> {
    this.dropClient(keyId);
    this.identities.delete(keyId);
    await this.writes;
  }

  /** Signs in now with the active account (a fresh login), then asks whoami. */
  signIn(signal?: AbortSignal): Promise<Identity> {
    const account = this.activeAccount;
    if (!account) return Promise.reject(new NoAccountError());
    return this.signInAs(account, signal);
  }

  /** Sends a request with the active account; the client signs in again by itself on 401. */
  async send(request: ApiRequest, signal?: AbortSignal): Promise<ApiResponse> {
    // The account is fixed when the call starts: a switch while it runs must not move it elsewhere.
    const account = this.activeAccount;
    if (!account) throw new NoAccountError();
    await this.ensureSignedInAs(account, signal);
    const client = await this.clientFor(account);
    try {
      const response = await client.send(request, { signal, timeoutMs: this.config().timeoutMs });
      const s = this.current;
      if (!client.hasSession() && s.kind === 'signedIn' && s.account.keyId === account.keyId) {
        this.setState({ kind: 'signedOut', account, reason: 'expired' });
      }
      return response;
    } catch (e) {
      if (e instanceof NoonError && e.kind !== 'cancelled' && isLoginFailure(e)) this.fail(account, e);
      throw e;
    }
  }

  private ensureSignedInAs(account: AccountInfo, signal?: AbortSignal): Promise<Identity> {
    const s = this.current;
    if (s.kind === 'signedIn' && s.account.keyId === account.keyId) return Promise.resolve(s.identity);
    return this.signInAs(account, signal);
  }

  /** One sign-in in flight per account; the status bar follows it only while that account is active. */
  private signInAs(account: AccountInfo, signal?: AbortSignal): Promise<Identity> {
    const running = this.signingIn.get(account.keyId);
    if (running) return running;
    const flight = (async () => {
      this.setStateIfActive(account, { kind: 'signingIn', account });
      try {
        const client = await this.clientFor(account);
        const { identity } = await client.signIn(signal);
        this.log.info(`whoami: ${identity.username} (user code ${identity.userCode}).`);
        this.rememberIdentity(account, identity);
        this.setStateIfActive(account, { kind: 'signedIn', account, identity, restored: false });
        return identity;
      } catch (e) {
        this.fail(account, e);
        throw e;
      } finally {
        this.signingIn.delete(account.keyId);
      }
    })();
    this.signingIn.set(account.keyId, flight);
    return flight;
  }

  /** The Cookie header the active account would send to `url`, for an explicit "copy with cookie". */
  async cookieHeaderFor(url: string): Promise<string | undefined> {
    const account = this.activeAccount;
    if (!account) return undefined;
    return (await this.clientFor(account)).cookieHeaderFor(url);
  }

  async signOut(): Promise<void> {
    const account = this.activeAccount;
    if (!account) return;
    const client = await this.clients.get(account.keyId)?.client.catch(() => undefined);
    client?.signOut();
    this.dropClient(account.keyId);
    this.identities.delete(account.keyId);
    this.persist(account.keyId, undefined);
    await this.writes;
    this.log.info(`Signed out of account ${account.keyId}.`);
    this.setState({ kind: 'signedOut', account, reason: 'user' });
  }

  /** Settings changed: clients are rebuilt on next use; a session for another gateway does not apply. */
  async configurationChanged(): Promise<void> {
    for (const keyId of [...this.clients.keys()]) this.dropClient(keyId);
    const account = this.activeAccount;
    if (account) await this.restore(account);
  }

  dispose(): void {
    for (const keyId of [...this.clients.keys()]) this.dropClient(keyId);
    for (const d of this.disposables) d.dispose();
  }

  private async restore(account: AccountInfo): Promise<void> {
    const gatewayUrl = this.config().gatewayUrl;
    await this.writes;
    const stored = await this.store.getSession(account.keyId);
    if (stored && stored.gatewayUrl === gatewayUrl && stored.identity) {
      this.identities.set(account.keyId, stored.identity);
      this.setState({ kind: 'signedIn', account, identity: stored.identity, restored: true });
    } else {
      this.setState({ kind: 'signedOut', account, reason: 'new' });
    }
  }

  private clientFor(account: AccountInfo): Promise<NoonClient> {
    const config = this.config();
    if (!config.gatewayUrl) return Promise.reject(new GatewayNotSetError());
    // The settings-changed event may arrive after a request that already reads the new settings.
    const settings = JSON.stringify([config.gatewayUrl, config.proxy, config.noProxy, config.proxyStrictSSL, config.userAgent]);
    const existing = this.clients.get(account.keyId);
    if (existing && existing.settings === settings) return existing.client;
    if (existing) this.dropClient(account.keyId);
    // Calls that arrive together share one client, and so one cookie jar.
    const entry = { gatewayUrl: config.gatewayUrl, settings } as ClientEntry;
    const client = this.createClient(account, config, entry);
    entry.client = client;
    this.clients.set(account.keyId, entry);
    client.then(
      (c) => {
        entry.ready = c;
        if (this.clients.get(account.keyId) !== entry) c.dispose();
      },
      () => {
        if (this.clients.get(account.keyId) === entry) this.clients.delete(account.keyId);
      },
    );
    return client;
  }

  private async createClient(account: AccountInfo, config: NoonConfig, entry: ClientEntry): Promise<NoonClient> {
    const key = await this.store.getKey(account.keyId);
    if (!key) throw new Error(`The key of account ${account.label} is no longer stored; import it again.`);
    // A client being replaced may still be writing its session; the new one starts from that.
    await this.writes;
    const stored = await this.store.getSession(account.keyId);
    this.maskInLog(stored?.jar);
    const proxyUrl = resolveProxy(new URL(config.gatewayUrl), {
      proxySetting: config.proxy,
      noProxySetting: config.noProxy,
      env: process.env,
    });
    if (proxyUrl && !config.proxyStrictSSL) {
      this.log.warn(
        `http.proxyStrictSSL is off: the certificate of ${new URL(config.gatewayUrl).host} is not checked, ` +
          'so whoever intercepts the connection sees the login token and the session cookie.',
      );
    }
    return new NoonClient({
      gatewayUrl: config.gatewayUrl,
      userAgent: config.userAgent,
      key,
      timeoutMs: config.timeoutMs,
      proxyUrl,
      strictSSL: proxyUrl ? config.proxyStrictSSL : true,
      session: stored?.gatewayUrl === config.gatewayUrl ? stored.jar : undefined,
      log: this.log,
      // A replaced or dropped client may still finish a request; its cookies must not come back.
      onSessionChanged: (jar) => {
        if (this.clients.get(account.keyId) === entry) this.sessionChanged(account, config.gatewayUrl, jar);
      },
    });
  }

  private sessionChanged(account: AccountInfo, gatewayUrl: string, jar: string | undefined): void {
    if (!jar) {
      this.identities.delete(account.keyId);
      this.persist(account.keyId, undefined);
      const s = this.current;
      if (s.kind === 'signedIn' && s.account.keyId === account.keyId) {
        this.setState({ kind: 'signedOut', account, reason: 'expired' });
      }
      return;
    }
    this.maskInLog(jar);
    this.persist(account.keyId, { jar, gatewayUrl, identity: this.identities.get(account.keyId) });
  }

  /** Cookie values join the log's list of values it masks wherever they appear. */
  private maskInLog(jar: string | undefined): void {
    if (!jar) return;
    try {
      const cookies = (JSON.parse(jar) as { cookies?: Array<{ value?: unknown }> }).cookies ?? [];
      for (const c of cookies) if (typeof c.value === 'string') this.log.forget(c.value);
    } catch {
      // Not a jar we wrote; nothing to learn from it.
    }
  }

  private rememberIdentity(account: AccountInfo, identity: Identity): void {
    this.identities.set(account.keyId, identity);
    const entry = this.clients.get(account.keyId);
    const jar = entry?.ready?.serializeSession();
    if (entry && jar) this.persist(account.keyId, { jar, gatewayUrl: entry.gatewayUrl, identity });
  }

  private persist(keyId: string, session: StoredSession | undefined): void {
    this.writes = this.writes
      .then(() => this.store.setSession(keyId, session))
      .catch((e) => this.log.warn(`Could not store the session: ${e instanceof Error ? e.message : String(e)}`));
  }

  /** Resolves once every session write so far has reached the store. */
  flush(): Promise<void> {
    return this.writes;
  }

  private fail(account: AccountInfo, e: unknown): void {
    if (e instanceof NoonError && e.kind === 'cancelled') {
      this.setStateIfActive(account, { kind: 'signedOut', account, reason: 'new' });
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    const hint = e instanceof NoonError ? e.hint : undefined;
    this.setStateIfActive(account, { kind: 'failed', account, message, hint });
  }

  /** State changes that arrive after an await apply only if the account is still the active one. */
  private setStateIfActive(account: AccountInfo, state: SessionState): void {
    if (this.activeAccount?.keyId === account.keyId) this.setState(state);
  }

  private dropClient(keyId: string): void {
    this.clients.get(keyId)?.ready?.dispose();
    this.clients.delete(keyId);
  }

  private setState(state: SessionState): void {
    this.current = state;
    void vscode.commands.executeCommand('setContext', contexts.signedIn, state.kind === 'signedIn');
    void vscode.commands.executeCommand('setContext', contexts.hasAccount, state.kind !== 'noAccount');
    this.stateChanged.fire(state);
  }
}

/** Login-related failures change the status bar; a request's own transport failure does not. */
function isLoginFailure(e: NoonError): boolean {
  return ['unauthenticated', 'key-rejected', 'forbidden', 'clock-skew', 'missing-user-agent'].includes(e.kind);
}

export class NoAccountError extends Error {
  constructor() {
    super('No Noon key is stored yet. Run "Noon: Import Credentials" first.');
    this.name = 'NoAccountError';
  }
}

export class GatewayNotSetError extends Error {
  constructor() {
    super('The gateway is set to "custom" but noon.customGatewayUrl is empty.');
    this.name = 'GatewayNotSetError';
  }
}
