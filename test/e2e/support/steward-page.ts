import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createCore, type Core } from '../../../electron/core/core';
import type { DialogPort, FilePort } from '../../../electron/core/ports';
import type { CoreEvent } from '../../../shared/api/events';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const rendererBuild = join(repoRoot, 'dist/renderer');
const screenshotFolder = join(repoRoot, 'test-results/screenshots');
const appVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

/**
 * The origin the production build is served from. Nothing listens on it and nothing leaves the process:
 * page.route answers from disk, so plain http is no exposure.
 */
// eslint-disable-next-line @microsoft/sdl/no-insecure-url -- see above: a routed name, never a network request.
export const APP_ORIGIN = 'http://steward.test';
export const APP_URL = `${APP_ORIGIN}/index.html`;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Debian's Chromium unless STEWARD_CHROMIUM names another, or Playwright's own download is present. */
function chromiumExecutable(): string {
  if (process.env.STEWARD_CHROMIUM) return process.env.STEWARD_CHROMIUM;
  const bundled = chromium.executablePath();
  return bundled && existsSync(bundled) ? bundled : '/usr/bin/chromium';
}

/** Builds the renderer once when no build exists, so a plain `vitest run --project e2e` still works. */
function ensureRendererBuild(): void {
  if (existsSync(join(rendererBuild, 'index.html'))) return;
  execFileSync('npx', ['vite', 'build'], { cwd: repoRoot, stdio: 'inherit' });
}

/** The vault worker the desktop app uses, so the page meets BUSY during imports as it would there. */
const vaultWorker = join(repoRoot, 'dist/core/vault-worker.cjs');
let workerBuilt = false;
function ensureVaultWorker(): void {
  // Built once per run from the source under test, never a stale bundle.
  if (!workerBuilt)
    execFileSync(process.execPath, [join(repoRoot, 'build/build-main.mjs'), 'worker'], { cwd: repoRoot });
  workerBuilt = true;
}

/** Folder answers the test scripts in advance, as the desktop dialog would have given them. */
export class ScriptedDialogs implements DialogPort {
  private readonly answers: Array<string | null> = [];
  readonly requests: Array<'create' | 'open'> = [];

  /** The next folder dialog returns `folder`; null plays a cancelled dialog. */
  answerNext(folder: string | null): void {
    this.answers.push(folder);
  }

  async chooseVaultFolder(purpose: 'create' | 'open'): Promise<string | null> {
    this.requests.push(purpose);
    if (this.answers.length === 0)
      throw new Error(`The test did not script an answer for a "${purpose}" folder dialog.`);
    return this.answers.shift() ?? null;
  }

  private readonly fileAnswers: Array<string[] | null> = [];

  /** The next file-open dialog returns `paths`; null plays a cancelled dialog. */
  answerNextFiles(paths: string[] | null): void {
    this.fileAnswers.push(paths);
  }

  async chooseImportFiles(): Promise<string[] | null> {
    if (this.fileAnswers.length === 0)
      throw new Error('The test did not script an answer for a file dialog.');
    return this.fileAnswers.shift() ?? null;
  }

  private readonly saveAnswers: Array<string | null> = [];

  /** The next save dialog returns `path`; null plays a cancelled dialog. */
  answerNextSave(path: string | null): void {
    this.saveAnswers.push(path);
  }

  /** The names each save dialog proposed, in order. */
  readonly proposedSaveNames: string[] = [];

  async chooseSavePath(defaultName: string): Promise<string | null> {
    this.proposedSaveNames.push(defaultName);
    if (this.saveAnswers.length === 0)
      throw new Error(`The test did not script a save dialog for ${defaultName}.`);
    return this.saveAnswers.shift() ?? null;
  }

  private readonly oneFileAnswers: Array<{ kind: 'certificate' | 'evidence'; path: string | null }> = [];

  /** The next signing-certificate (.p12) dialog returns `path`; null plays a cancelled dialog. */
  answerNextCertificate(path: string | null): void {
    this.oneFileAnswers.push({ kind: 'certificate', path });
  }

  /** The next "choose an evidence PDF" dialog returns `path`; null plays a cancelled dialog. */
  answerNextEvidenceFile(path: string | null): void {
    this.oneFileAnswers.push({ kind: 'evidence', path });
  }

  private takeOneFile(kind: 'certificate' | 'evidence'): string | null {
    const next = this.oneFileAnswers.shift();
    if (!next) throw new Error(`The test did not script a ${kind} file dialog.`);
    if (next.kind !== kind)
      throw new Error(`A ${kind} dialog opened where the test expected a ${next.kind} one.`);
    return next.path;
  }

  async chooseSigningCertificate(): Promise<string | null> {
    return this.takeOneFile('certificate');
  }

  async chooseEvidenceFile(): Promise<string | null> {
    return this.takeOneFile('evidence');
  }
}

/** The desktop's "open" and "show in folder", recorded instead of performed. */
export class RecordedFiles implements FilePort {
  readonly opened: string[] = [];
  readonly shown: string[] = [];

  async openPath(path: string): Promise<string | null> {
    this.opened.push(path);
    return null;
  }

  async showInFolder(path: string): Promise<string | null> {
    this.shown.push(path);
    return null;
  }
}

export interface CspViolation {
  directive: string;
  blockedURI: string;
  sample: string;
}

export interface LaunchOptions {
  vaultFolder: string;
  /** false: the core gets no dialog nor file port, as on the command line. */
  dialogs?: boolean;
}

interface HeldCall {
  method: string;
  input: unknown;
  release: () => void;
}

/**
 * One Chromium page running the production renderer with `window.bridge` wired to a real core in this
 * process. Tests seed the vault through `core.dispatch` and then drive the page like a user.
 */
export class StewardSession {
  /** Path and query of every request the page made to the app origin, in order. */
  readonly requestedPaths: string[] = [];
  readonly pageErrors: string[] = [];
  private readonly heldMethods = new Set<string>();
  private readonly heldCalls: HeldCall[] = [];
  private readonly heldWaiters: Array<() => void> = [];
  private unsubscribe: () => void = () => undefined;

  private constructor(
    readonly core: Core,
    readonly dialogs: ScriptedDialogs | null,
    readonly files: RecordedFiles | null,
    readonly vaultFolder: string,
    private readonly browser: Browser,
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async launch(options: LaunchOptions): Promise<StewardSession> {
    ensureRendererBuild();
    ensureVaultWorker();
    const dialogs = options.dialogs === false ? null : new ScriptedDialogs();
    const files = options.dialogs === false ? null : new RecordedFiles();
    const core = createCore({
      vaultFolder: options.vaultFolder,
      appVersion,
      ports: dialogs && files ? { dialogs, files } : {},
      vaultWorkerScript: vaultWorker,
    });
    const browser = await chromium.launch({
      executablePath: chromiumExecutable(),
      args: CHROMIUM_ARGS,
      headless: true,
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
      reducedMotion: 'reduce',
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    const session = new StewardSession(core, dialogs, files, options.vaultFolder, browser, context, page);
    await session.wire();
    return session;
  }

  private async wire(): Promise<void> {
    const { context, page, core } = this;
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') this.pageErrors.push(message.text());
    });

    // Routes run last-registered first: anything not answered below is refused, so no test reaches a network.
    await context.route('**/*', (route) => route.abort('blockedbyclient'));
    await context.route(`${APP_ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      this.requestedPaths.push(url.pathname + url.search);
      const file = this.buildFileFor(url.pathname);
      if (!file) {
        await route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not found' });
        return;
      }
      await route.fulfill({
        status: 200,
        contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        body: readFileSync(file),
      });
    });

    await page.exposeBinding('__stewardInvoke', async (_source, method: string, input: unknown) => {
      if (this.heldMethods.delete(method)) {
        await new Promise<void>((release) => {
          this.heldCalls.push({ method, input, release });
          for (const wake of this.heldWaiters.splice(0)) wake();
        });
      }
      return core.dispatch(method, input);
    });
    await page.addInitScript(defineBridgeInPage);

    this.unsubscribe = core.onEvent((event: CoreEvent) => {
      // A page that is navigating or closed simply misses the event, as a closed window would.
      page.evaluate((delivered) => window.__stewardDeliverEvent?.(delivered), event).catch(() => undefined);
    });
  }

  /** The file of the build a request path names, or null for anything outside dist/renderer. */
  private buildFileFor(pathname: string): string | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
      return null;
    }
    const candidate = resolve(rendererBuild, `.${decoded}`);
    if (!candidate.startsWith(rendererBuild + sep) || !existsSync(candidate)) return null;
    const real = realpathSync(candidate);
    if (!real.startsWith(realpathSync(rendererBuild) + sep) || !statSync(real).isFile()) return null;
    return real;
  }

  /** Opens the app and waits until React has rendered its first screen. */
  async load(): Promise<void> {
    await this.page.goto(APP_URL);
    await this.page.locator('#root > *').first().waitFor();
  }

  /**
   * Holds the next call of `method` in the transport until `release()`, so a test can see the busy
   * state of a slow operation without racing it. The core is not touched until then.
   */
  holdNext(method: string): {
    arrived: () => Promise<void>;
    /** What the page sent, once the call has arrived. */
    input: () => unknown;
    release: () => void;
  } {
    this.heldMethods.add(method);
    const find = () => this.heldCalls.find((held) => held.method === method);
    return {
      arrived: async () => {
        while (!find()) await new Promise<void>((wake) => this.heldWaiters.push(wake));
      },
      input: () => {
        const held = find();
        if (!held) throw new Error(`No call of ${method} is being held.`);
        return held.input;
      },
      release: () => {
        const held = find();
        if (!held) throw new Error(`No call of ${method} is being held.`);
        this.heldCalls.splice(this.heldCalls.indexOf(held), 1);
        held.release();
      },
    };
  }

  async cspViolations(): Promise<CspViolation[]> {
    return this.page.evaluate(() => window.__stewardCspViolations ?? []);
  }

  /** Saves `<name>-light.png` and `<name>-dark.png` of the whole window, then returns to the light theme. */
  async screenshot(name: string): Promise<void> {
    mkdirSync(screenshotFolder, { recursive: true });
    for (const colorScheme of ['light', 'dark'] as const) {
      await this.page.emulateMedia({ colorScheme });
      await this.page.screenshot({
        path: join(screenshotFolder, `${name}-${colorScheme}.png`),
        animations: 'disabled',
      });
    }
    await this.page.emulateMedia({ colorScheme: 'light' });
  }

  async close(): Promise<void> {
    this.unsubscribe();
    for (const held of this.heldCalls.splice(0)) held.release();
    await this.context.close().catch(() => undefined);
    await this.browser.close().catch(() => undefined);
    this.core.close();
  }
}

declare global {
  interface Window {
    __stewardInvoke?: (method: string, input: unknown) => Promise<unknown>;
    __stewardDeliverEvent?: (event: CoreEvent) => void;
    __stewardCspViolations?: CspViolation[];
  }
}

/**
 * Runs in the page before any of its scripts: the same two functions the preload exposes, plus a log of
 * CSP violations so tests can prove the app itself never trips its own policy.
 */
function defineBridgeInPage(): void {
  const listeners = new Set<(event: CoreEvent) => void>();
  const bridge = Object.freeze({
    invoke: (method: string, input: unknown) => window.__stewardInvoke!(method, input),
    onEvent(listener: (event: CoreEvent) => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  });
  Object.defineProperty(window, 'bridge', { value: bridge });
  Object.defineProperty(window, '__stewardDeliverEvent', {
    value: (event: CoreEvent) => {
      for (const listener of listeners) listener(event);
    },
  });
  const violations: CspViolation[] = [];
  Object.defineProperty(window, '__stewardCspViolations', { value: violations });
  document.addEventListener('securitypolicyviolation', (event) => {
    violations.push({
      directive: event.effectiveDirective,
      blockedURI: event.blockedURI,
      sample: event.sample,
    });
  });
}
