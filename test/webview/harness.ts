/**
 * Serves the built webview (dist/webview) with the exact HTML the extension generates, from a
 * local http server on 127.0.0.1, and opens it in headless Chromium with a stand-in for
 * acquireVsCodeApi. Tests post the messages the extension would and read what a person sees.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { analyze, isSimulatable, toDiagnostics } from '../../src/core/lint';
import { buildSimulationHtml, makeNonce } from '../../src/extension/html';
import { runbookMessage } from '../../src/extension/panelHost';
import { runbookModelFor } from '../../src/server/panel';
import { readSettings } from '../../src/server/settings';
import type { HostToWebview, RunbookMessage, WebviewToHost } from '../../src/protocol/panel';
import { readExample, repoRoot } from '../support';
import { DARK, type HarnessTheme } from './themes';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
const WEBVIEW_DIST = join(repoRoot, 'dist', 'webview');

/**
 * Chromium is needed: in CI its absence fails the suite; elsewhere the suite is skipped with
 * one line saying why.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium)`);
  console.log(`webview tests skipped: ${CHROMIUM_PATH} is missing (apt-get install -y chromium)`);
  return false;
}

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(WEBVIEW_DIST, 'main.js'))) throw new Error('dist/webview/main.js is missing: run `npm run build` first');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/** Serves `/` (the panel HTML, as the extension builds it) and `/dist/webview/*`. */
export class HarnessServer {
  private server: Server | undefined;
  origin = '';
  /** The HTML of the last page served, for CSP checks. */
  lastHtml = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
      if (path === '/' || path === '/index.html') {
        const nonce = makeNonce((size) => randomBytes(size));
        const asset = (name: string) => `${this.origin}/dist/webview/${name}`;
        this.lastHtml = buildSimulationHtml({
          cspSource: this.origin,
          nonce,
          uris: { script: asset('main.js'), worker: asset('worker.js'), stylesheet: asset('main.css'), codicons: asset('codicon.css') },
        });
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        response.end(this.lastHtml);
        return;
      }
      const relative = normalize(path).replace(/^\/dist\/webview\//, '');
      const file = join(WEBVIEW_DIST, relative);
      if (!path.startsWith('/dist/webview/') || relative.includes('..') || !existsSync(file)) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      response.end(readFileSync(file));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

declare global {
  interface Window {
    __posted: WebviewToHost[];
    __dialogs: string[];
  }
}

/** One open panel page. */
export class PanelPage {
  readonly dialogs: string[] = [];
  readonly pageErrors: string[] = [];

  private constructor(readonly page: Page) {
    page.on('dialog', (dialog) => {
      this.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
  }

  static async open(
    browser: Browser,
    server: HarnessServer,
    options: { theme?: HarnessTheme; width?: number; height?: number; beforeLoad?: (page: Page) => Promise<unknown> } = {},
  ): Promise<PanelPage> {
    const page = await browser.newPage({ viewport: { width: options.width ?? 900, height: options.height ?? 900 }, deviceScaleFactor: 1 });
    // The stand-in for the VS Code webview API: messages to the host are recorded, state lives in
    // sessionStorage (so it survives a reload, like vscode.setState).
    await page.addInitScript(() => {
      window.__posted = [];
      (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
        postMessage: (message: WebviewToHost) => window.__posted.push(JSON.parse(JSON.stringify(message))),
        getState: () => JSON.parse(sessionStorage.getItem('vscode-state') ?? 'null') ?? undefined,
        setState: (state: unknown) => sessionStorage.setItem('vscode-state', JSON.stringify(state)),
      });
    });
    const panel = new PanelPage(page);
    await options.beforeLoad?.(page);
    await page.goto(server.origin + '/');
    await panel.applyTheme(options.theme ?? DARK);
    return panel;
  }

  /** Sets the --vscode-* variables and body class, as VS Code does on a theme change. */
  async applyTheme(theme: HarnessTheme): Promise<void> {
    await this.page.evaluate((next) => {
      const root = document.documentElement;
      for (const [name, value] of Object.entries(next.variables)) root.style.setProperty(name, value);
      document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast');
      document.body.classList.add(next.bodyClass);
    }, theme);
  }

  async post(message: HostToWebview): Promise<void> {
    await this.page.evaluate((data) => window.postMessage(data, '*'), message);
  }

  posted(): Promise<WebviewToHost[]> {
    return this.page.evaluate(() => window.__posted);
  }

  async waitForPosted(type: WebviewToHost['type']): Promise<WebviewToHost> {
    const handle = await this.page.waitForFunction((wanted) => window.__posted.find((message) => message.type === wanted), type, {
      timeout: 20_000,
    });
    return (await handle.jsonValue()) as WebviewToHost;
  }

  /** Waits until the simulation of the current runbook is shown (the status line says how long it took). */
  async waitForResult(): Promise<void> {
    try {
      await this.page.waitForFunction(
        () => /^(Simulated |The simulation)/.test(document.querySelector('.status')?.textContent ?? ''),
        undefined,
        { timeout: 50_000 },
      );
    } catch (error) {
      const status = await this.page
        .locator('.status')
        .textContent()
        .catch(() => '?');
      throw new Error(`no simulation result shown; status line: "${status}"; page errors: ${this.pageErrors.join(' | ') || 'none'}`, {
        cause: error,
      });
    }
  }

  /**
   * The element's text once it matches `pattern`, or as it is after 20 s (for the caller's assertion to
   * show): a posted message is handled in a later task of the page, so a read right after `post` may
   * come first.
   */
  async textMatching(selector: string, pattern: RegExp): Promise<string> {
    await this.page
      .waitForFunction(
        ([wanted, source, flags]) => new RegExp(source, flags).test(document.querySelector<HTMLElement>(wanted)?.innerText ?? ''),
        [selector, pattern.source, pattern.flags] as const,
        { timeout: 20_000 },
      )
      .catch(() => undefined);
    return this.text(selector);
  }

  text(selector = 'body'): Promise<string> {
    return this.page.locator(selector).first().innerText();
  }

  /** How many pixels of each chart canvas differ from the canvas's top-left pixel. */
  chartInk(): Promise<number[]> {
    return this.page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLCanvasElement>('.chart canvas')).map((canvas) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let ink = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] !== 0) ink++;
        return ink;
      }),
    );
  }

  close(): Promise<void> {
    return this.page.close();
  }
}

/** The message the extension posts for a runbook text: the language server's model of it (no background simulation yet). */
export function runbookMessageFor(text: string, fileName: string, extra: Partial<RunbookMessage> = {}): RunbookMessage {
  const analysis = analyze(text);
  const model = runbookModelFor({
    version: 1,
    analysis,
    simulatable: isSimulatable(analysis),
    settings: readSettings({}),
    diagnostics: toDiagnostics(analysis),
  });
  return { ...runbookMessage(model, { uri: `file:///work/${fileName}`, fileName }), ...extra };
}

export function exampleMessage(name: string, extra: Partial<RunbookMessage> = {}): RunbookMessage {
  return runbookMessageFor(readExample(`${name}.runbook.yaml`), `${name}.runbook.yaml`, extra);
}
