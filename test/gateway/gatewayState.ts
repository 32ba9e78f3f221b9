import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import type { RecordedRequest, ScriptedAnswer, TestAccount } from './gateway';

export const SESSION_COOKIE = '_npsid';
export const PARTNER_COOKIE = '_nprtnetid';
/** Thirty days, the session lifetime Noon documents. */
export const SESSION_LIFETIME_S = 30 * 24 * 3600;

export interface RegisteredAccount {
  account: TestAccount;
  publicKey: KeyObject;
}

interface Session {
  keyId: string;
  projectCode: string;
  expiresAt: number;
}

interface QueuedAnswer {
  answer: ScriptedAnswer;
  left: number;
}

/** A live session found from a request's cookies. */
export interface SessionMatch {
  account: TestAccount;
  projectCode: string;
}

const CONTROL_PREFIX = '/__gateway';
const EXFIL_PREFIX = '/exfil';

/** Checks a scripted answer before it is queued, so a typo fails in the test that made it, not later. */
export function validateScript(a: ScriptedAnswer): void {
  if (!a.destroy && !a.augment && !(Number.isInteger(a.status) && a.status >= 100 && a.status <= 599)) {
    throw new Error('status must be an HTTP status between 100 and 599');
  }
  if (a.match !== undefined && (typeof a.match !== 'string' || !a.match.startsWith('/'))) {
    throw new Error('match must be a path prefix starting with /');
  }
  if (a.match?.startsWith(CONTROL_PREFIX)) {
    throw new Error('the control API cannot be scripted');
  }
  const times = a.times ?? 1;
  if (!(times === Infinity || (Number.isInteger(times) && times > 0))) {
    throw new Error('times must be a positive integer or Infinity');
  }
  if (a.delayMs !== undefined && !(Number.isFinite(a.delayMs) && a.delayMs >= 0)) {
    throw new Error('delayMs must be a non-negative number');
  }
  if (a.body !== undefined && typeof a.body !== 'string') {
    throw new Error('body must be a string');
  }
}

/** Every cookie value the Cookie header carries under `name`, in order. */
function cookieValues(header: string | undefined, name: string): string[] {
  const values: string[] = [];
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      values.push(part.slice(eq + 1).trim());
    }
  }
  return values;
}

/** All mutable gateway state: accounts, sessions, scripts and what was recorded. No I/O here. */
export class GatewayState {
  latencyMs = 0;
  logins = 0;
  failedLogins = 0;
  requests: RecordedRequest[] = [];
  exfil: RecordedRequest[] = [];

  private readonly accounts = new Map<string, RegisteredAccount>();
  private sessions = new Map<string, Session>();
  private readonly usedJtis = new Set<string>();
  private scripts: QueuedAnswer[] = [];

  register(a: TestAccount): void {
    for (const field of ['keyId', 'publicKeyPem', 'projectCode', 'username', 'userCode'] as const) {
      if (typeof a[field] !== 'string' || a[field] === '') {
        throw new Error(`account field ${field} must be a non-empty string`);
      }
    }
    // createPublicKey also accepts a private key and keeps only its public half.
    const publicKey = createPublicKey(a.publicKeyPem);
    if (publicKey.asymmetricKeyType !== 'rsa') {
      throw new Error('account key must be an RSA key');
    }
    this.accounts.set(a.keyId, { account: { ...a }, publicKey });
  }

  account(keyId: string): RegisteredAccount | undefined {
    return this.accounts.get(keyId);
  }

  allowedProjects(a: TestAccount): string[] {
    return a.allowedProjects ?? [a.projectCode];
  }

  /** Marks a token id as used; false when it was seen before (a replay). */
  useJti(jti: string): boolean {
    if (this.usedJtis.has(jti)) {
      return false;
    }
    this.usedJtis.add(jti);
    return true;
  }

  /** Opens a session and returns its cookie value. */
  openSession(keyId: string, projectCode: string): string {
    const sid = randomBytes(24).toString('base64url');
    this.sessions.set(sid, { keyId, projectCode, expiresAt: Date.now() + SESSION_LIFETIME_S * 1000 });
    return sid;
  }

  /** The session named by the first `_npsid` cookie, as most servers read a repeated cookie name. */
  sessionFrom(cookieHeader: string | undefined): SessionMatch | undefined {
    const sid = cookieValues(cookieHeader, SESSION_COOKIE)[0];
    const session = sid === undefined ? undefined : this.sessions.get(sid);
    if (!session || session.expiresAt <= Date.now()) {
      return undefined;
    }
    const registered = this.accounts.get(session.keyId);
    return registered && { account: registered.account, projectCode: session.projectCode };
  }

  expireSessions(): void {
    this.sessions = new Map();
  }

  addScript(a: ScriptedAnswer): void {
    validateScript(a);
    this.scripts.push({ answer: { ...a }, left: a.times ?? 1 });
  }

  /** Takes the first queued answer matching the request, using up one of its `times`. */
  takeScript(method: string, url: string): ScriptedAnswer | undefined {
    const index = this.scripts.findIndex(({ answer }) => {
      if (answer.method && answer.method.toUpperCase() !== method.toUpperCase()) {
        return false;
      }
      if (answer.match === undefined) {
        return !url.startsWith(CONTROL_PREFIX) && !url.startsWith(EXFIL_PREFIX);
      }
      return url.startsWith(answer.match);
    });
    if (index < 0) {
      return undefined;
    }
    const queued = this.scripts[index];
    queued.left -= 1;
    if (queued.left <= 0) {
      this.scripts.splice(index, 1);
    }
    return queued.answer;
  }

  /** Forgets scripts, latency, sessions and everything recorded; accounts and used token ids stay. */
  reset(): void {
    this.scripts = [];
    this.latencyMs = 0;
    this.sessions = new Map();
    this.logins = 0;
    this.failedLogins = 0;
    this.requests = [];
    this.exfil = [];
  }

  stats(): { logins: number; failedLogins: number; requests: RecordedRequest[]; exfil: RecordedRequest[] } {
    return structuredClone({
      logins: this.logins,
      failedLogins: this.failedLogins,
      requests: this.requests,
      exfil: this.exfil,
    });
  }
}
