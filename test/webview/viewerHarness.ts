/**
 * Serves the real viewer page (HTML and CSP from src/webview/html.ts, the built bundle and
 * stylesheet) from a loopback server and opens it in headless Chromium.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildHtml } from '../../src/webview/html';
import { CHROMIUM_ARGS } from '../host/launchChromium';
import { chromiumPath } from '../host/paths';

const ROOT = path.resolve(__dirname, '../..');
export const VIEWER_BUNDLE = path.join(ROOT, 'dist/webview/main.js');

/** Builds the viewer bundle when it is missing or older than its sources (same options as esbuild.js). */
export async function ensureViewerBuilt(): Promise<void> {
  const sources = ['src/webview-ui', 'src/core'].flatMap((dir) =>
    fs.readdirSync(path.join(ROOT, dir)).map((f) => path.join(ROOT, dir, f)),
  );
  const newest = Math.max(...sources.map((f) => fs.statSync(f).mtimeMs));
  if (fs.existsSync(VIEWER_BUNDLE) && fs.statSync(VIEWER_BUNDLE).mtimeMs >= newest) return;
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/webview-ui/main.ts')],
    outfile: VIEWER_BUNDLE,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
  });
}

async function harnessScript(): Promise<string> {
  const out = await esbuild.build({
    entryPoints: [path.join(__dirname, 'harnessPage.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  });
  return out.outputFiles[0].text;
}

export interface ViewerHarness {
  origin: string;
  browser: Browser;
  /** Paths of requests that reached the server's /exfil* routes. */
  exfilHits: string[];
  /** Console lines that mention the Content Security Policy. */
  cspConsole: string[];
  dialogs: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function startViewerHarness(): Promise<ViewerHarness> {
  await ensureViewerBuilt();
  const initScript = await harnessScript();
  const exfilHits: string[] = [];
  const cspConsole: string[] = [];
  const dialogs: string[] = [];
  const files: Record<string, [string, string]> = {
    '/dist/webview/main.js': [VIEWER_BUNDLE, 'text/javascript'],
    '/media/viewer.css': [path.join(ROOT, 'media/viewer.css'), 'text/css'],
  };
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/exfil')) {
      exfilHits.push(url);
      res.writeHead(204).end();
    } else if (url === '/') {
      const html = buildHtml({
        cspSource: origin,
        nonce: randomBytes(18).toString('base64url'),
        scriptUri: `${origin}/dist/webview/main.js`,
        styleUri: `${origin}/media/viewer.css`,
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (files[url]) {
      res.writeHead(200, { 'content-type': files[url][1] }).end(fs.readFileSync(files[url][0]));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });

  return {
    origin,
    browser,
    exfilHits,
    cspConsole,
    dialogs,
    async newPage() {
      const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
      page.on('console', (m) => {
        if (/content security policy/i.test(m.text())) cspConsole.push(m.text());
      });
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.addInitScript({ content: initScript });
      await page.goto(origin + '/');
      await page.waitForFunction(() => window.__harness.posted.some((m) => m.type === 'ready'));
      return page;
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
