import * as vscode from 'vscode';
import { settings } from './ids';

export const GATEWAYS = {
  production: 'https://noon-api-gateway.noon.partners',
  sandbox: 'https://noon-sandbox-api-gateway.noon.partners',
} as const;

export type GatewayChoice = keyof typeof GATEWAYS | 'custom';

export interface NoonConfig {
  gatewayUrl: string;
  gatewayChoice: GatewayChoice;
  userAgent: string;
  timeoutMs: number;
  openInNewPanel: boolean;
  proxy?: string;
  /** VS Code's `http.noProxy`: hosts reached directly even when a proxy is set. */
  noProxy: string[];
  proxyStrictSSL: boolean;
}

/** Reads the effective settings; `defaultUserAgent` is `<name>/<version>` from the manifest. */
export function readConfig(defaultUserAgent: string): NoonConfig {
  const c = vscode.workspace.getConfiguration(settings.section);
  const http = vscode.workspace.getConfiguration('http');
  const choice = c.get<GatewayChoice>(settings.gateway, 'production');
  const custom = (c.get<string>(settings.customGatewayUrl) ?? '').trim().replace(/\/+$/, '');
  const gatewayUrl = choice === 'custom' ? custom : GATEWAYS[choice] ?? GATEWAYS.production;
  const userAgent = (c.get<string>(settings.userAgent) ?? '').trim() || defaultUserAgent;
  const seconds = c.get<number>(settings.requestTimeout, 30);
  return {
    gatewayUrl,
    gatewayChoice: choice,
    userAgent,
    timeoutMs: Math.max(1, Number.isFinite(seconds) ? seconds : 30) * 1000,
    openInNewPanel: c.get<boolean>(settings.openInNewPanel, false),
    proxy: (http.get<string>('proxy') ?? '').trim() || undefined,
    noProxy: (http.get<string[]>('noProxy') ?? []).filter((h) => typeof h === 'string'),
    proxyStrictSSL: http.get<boolean>('proxyStrictSSL', true),
  };
}

export function affectsClient(e: vscode.ConfigurationChangeEvent): boolean {
  return (
    e.affectsConfiguration(settings.section) ||
    e.affectsConfiguration('http.proxy') ||
    e.affectsConfiguration('http.noProxy') ||
    e.affectsConfiguration('http.proxyStrictSSL')
  );
}
