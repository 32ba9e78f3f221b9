import { BlockList, isIP } from 'node:net';
import { NoonError } from './errors';

export interface ProxyOptions {
  /** VS Code's `http.proxy` setting; when set it wins over the environment. */
  proxySetting?: string;
  /** VS Code's `http.noProxy` setting, applied like NO_PROXY entries. */
  noProxySetting?: string[];
  env: NodeJS.ProcessEnv;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * Picks the proxy for a request the way curl and VS Code do: the `http.proxy` setting first, then
 * `https_proxy`/`HTTPS_PROXY` (https targets) or `http_proxy`/`HTTP_PROXY` (http targets), then `ALL_PROXY`.
 * NO_PROXY (and `http.noProxy`) exempt a target: `*`, host names matching themselves and their subdomains
 * (with or without a leading dot or `*.`), `host:port`, IP literals and CIDR ranges.
 *
 * proxy-from-env (which axios ships) was considered: it only reads the global `process.env` and treats a
 * bare `example.com` as an exact name, while curl and VS Code also exempt its subdomains.
 *
 * @param target the URL about to be requested
 * @param opts the setting and the environment to read
 * @returns the proxy URL, or undefined to connect directly
 * @throws NoonError('proxy') when the configured proxy is not a usable http(s) URL
 */
export function resolveProxy(target: URL, opts: ProxyOptions): URL | undefined {
  const configured = pickProxy(target, opts);
  if (!configured) return undefined;

  const noProxy = [readEnv(opts.env, 'no_proxy') ?? '', ...(opts.noProxySetting ?? [])].join(',');
  if (isExempt(target, noProxy)) return undefined;
  return parseProxyUrl(configured.value, configured.source);
}

function pickProxy(target: URL, opts: ProxyOptions): { value: string; source: string } | undefined {
  const setting = opts.proxySetting?.trim();
  if (setting) return { value: setting, source: 'http.proxy' };

  const scheme = target.protocol === 'https:' ? 'https_proxy' : target.protocol === 'http:' ? 'http_proxy' : undefined;
  for (const name of scheme ? [scheme, 'all_proxy'] : ['all_proxy']) {
    const value = readEnv(opts.env, name);
    if (value) return { value, source: name.toUpperCase() };
  }
  return undefined;
}

/** Lower-case names win, as in curl; an empty variable counts as unset. */
function readEnv(env: NodeJS.ProcessEnv, lowerName: string): string | undefined {
  const value = env[lowerName]?.trim() || env[lowerName.toUpperCase()]?.trim();
  return value || undefined;
}

function parseProxyUrl(value: string, source: string): URL {
  // "proxy.corp:3128" is common in the environment and means plain HTTP.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new NoonError('proxy', `The proxy in ${source} is not a valid URL.`, {
      hint: 'Check the http.proxy setting or the proxy environment variables.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NoonError('proxy', `The proxy in ${source} uses ${url.protocol.slice(0, -1)}, which is not supported.`, {
      host: url.hostname,
      hint: 'Set http.proxy to an http:// or https:// proxy.',
    });
  }
  return url;
}

/**
 * Tells whether a NO_PROXY list exempts the target.
 *
 * @param target the URL about to be requested
 * @param noProxy entries separated by commas or white space
 */
export function isExempt(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || DEFAULT_PORTS[target.protocol] || '';

  for (const raw of noProxy.toLowerCase().split(/[\s,]+/)) {
    if (!raw) continue;
    if (raw === '*') return true;

    const entry = splitPort(raw);
    if (entry.port && entry.port !== port) continue;
    if (matchesHost(host, entry.host)) return true;
  }
  return false;
}

function splitPort(entry: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] };
  // A bare IPv6 literal has colons of its own and no port.
  if (isIP(entry.split('/')[0]) === 6) return { host: entry };

  const withPort = /^(.+):(\d+)$/.exec(entry);
  return withPort ? { host: withPort[1], port: withPort[2] } : { host: entry };
}

function matchesHost(host: string, pattern: string): boolean {
  const family = isIP(host);
  if (family !== 0) return matchesAddress(host, family, pattern);

  const suffix = pattern.replace(/^\*?\.?/, '');
  if (!suffix) return false;
  return host === suffix || host.endsWith(`.${suffix}`);
}

function matchesAddress(host: string, family: number, pattern: string): boolean {
  const [address, prefixText] = pattern.split('/');
  const patternFamily = isIP(address);
  if (patternFamily !== family) return false;

  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  if (prefixText === undefined) {
    list.addAddress(address, type);
  } else {
    const prefix = Number(prefixText);
    if (!/^\d+$/.test(prefixText) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return false;
    list.addSubnet(address, prefix, type);
  }
  return list.check(host, type);
}
