import { Cookie, CookieJar } from 'tough-cookie';
import type { CoreLog } from './types';

/**
 * The cookie jar of one gateway session. Cookies are parsed and scoped by tough-cookie (RFC 6265); this wrapper
 * only answers the questions the client asks: is there a session, which cookie names go to a URL, has it changed.
 */
export class SessionJar {
  /** The jar the HTTP agents read from and write to. */
  readonly jar: CookieJar;
  private readonly gateway: string;

  /**
   * @param gatewayUrl the gateway origin, the only place these cookies go
   * @param serialized a jar from {@link SessionJar.serialize}; unreadable text starts an empty jar
   * @param log where to note that a stored session could not be read
   */
  constructor(gatewayUrl: URL, serialized: string | undefined, log: CoreLog) {
    this.gateway = new URL('/', gatewayUrl).href;
    this.jar = restore(serialized, log) ?? newJar();
  }

  /** True while at least one unexpired cookie would be sent to the gateway. */
  hasSession(): boolean {
    return this.liveCookies(this.gateway).length > 0;
  }

  /** Names of the cookies that would be sent to `url` (never their values). */
  cookieNames(url: string): string[] {
    return this.liveCookies(url).map((cookie) => cookie.key);
  }

  /**
   * The Cookie header value for `url`, or undefined when no cookie applies.
   *
   * @param url where the request goes
   * @param passed a Cookie header the user wrote; its cookies replace stored ones of the same name
   */
  cookieHeader(url: string, passed?: string): string | undefined {
    const byName = new Map<string, string>();
    for (const cookie of this.jar.getCookiesSync(url)) byName.set(cookie.key, cookie.cookieString());
    for (const part of (passed ?? '').split(';')) {
      const cookie = Cookie.parse(part.trim());
      if (cookie) byName.set(cookie.key, cookie.cookieString());
    }
    return [...byName.values()].join('; ') || undefined;
  }

  /**
   * Keeps the cookies of a response as RFC 6265 says: one for another domain or a public suffix is dropped,
   * one already expired removes the stored cookie of that name.
   *
   * @param setCookies the response's Set-Cookie values, in order
   * @param url the URL that answered
   */
  store(setCookies: readonly string[], url: string): void {
    for (const value of setCookies) this.jar.setCookieSync(value, url, { ignoreError: true });
  }

  /** The jar as text for storage, or undefined when no unexpired cookie is left. */
  serialize(): string | undefined {
    if (!this.hasSession()) return undefined;
    return JSON.stringify(this.jar.serializeSync());
  }

  /**
   * What identifies the jar's content for change detection: every field but `lastAccessed`, which tough-cookie
   * bumps on each read. Kept in memory only.
   */
  fingerprint(): string | undefined {
    if (!this.hasSession()) return undefined;
    const cookies = this.jar.serializeSync()?.cookies ?? [];
    return JSON.stringify(cookies.map(({ lastAccessed: _ignored, ...rest }) => rest));
  }

  clear(): void {
    this.jar.removeAllCookiesSync();
  }

  /** Every cookie value held, so text from the server can be checked for echoes of them. */
  values(): string[] {
    const cookies = this.jar.serializeSync()?.cookies ?? [];
    return cookies.map((c) => String(c.value ?? '')).filter((v) => v.length > 0);
  }

  private liveCookies(url: string) {
    // allPaths: a cookie scoped to /identity still means we hold a session.
    return this.jar.getCookiesSync(url, { allPaths: url === this.gateway });
  }
}

function newJar(): CookieJar {
  // Public-suffix rejection stays on: a gateway must not set cookies for a whole registry domain.
  return new CookieJar(undefined, { rejectPublicSuffixes: true });
}

function restore(serialized: string | undefined, log: CoreLog): CookieJar | undefined {
  if (!serialized) return undefined;
  try {
    return CookieJar.deserializeSync(serialized);
  } catch {
    log.warn('The stored session could not be read; a new sign-in will be needed.');
    return undefined;
  }
}
