// The analyst's dashboard, walked in a browser: fleet filters, a host's tabs (sort, filter, CSV,
// process tree, interfaces), history and a diff by meaning, the alert queue (triage in place, live
// arrivals), a latency chart, fleet-wide questions, hostile host text, and a viewer's banner.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTestHost, signInAsAdmin, startAppServer, type AppServer } from '@/test/helpers/app-server';
import { launchBrowser, screenshot, signInPage } from '@/test/helpers/browser';
import { listener, makeSnapshot, postAcceptedSnapshot } from '@/test/helpers/snapshots';
import { spacedTimes, tracerouteRun } from '@/test/helpers/traceroutes';
import { createTestUser } from '@/test/helpers/users';
import type { InterfaceRow, ProcessRow, SocketRow } from '@/lib/schemas/snapshot';

const HOSTILE_PROCESS = '<img src=x onerror=alert(1)>';
const HOSTILE_INTERFACE = 'x"><img src=y onerror=alert(2)>';

let server: AppServer;
/** Servers stopped by the reconnect test: their data goes when the test file ends. */
const retired: AppServer[] = [];
let session: { cookie: string; csrfToken: string };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let webToken: string;
const webSnapshotIds: string[] = [];
const dialogs: string[] = [];

const eventually = <T>(read: () => Promise<T> | T, timeout = 15_000) => expect.poll(read, { timeout, interval: 100 });

const proc = (pid: number, ppid: number | null, command: string, args: string | null, user = 'root'): ProcessRow => ({
  pid,
  ppid,
  user,
  uid: user === 'root' ? 0 : 33,
  command,
  args,
  startedAt: null,
});
const iface = (name: string, promiscuous = false): InterfaceRow => ({
  name,
  flags: promiscuous ? ['UP', 'BROADCAST', 'RUNNING', 'PROMISC', 'MULTICAST'] : ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'],
  promiscuous,
  mtu: 1500,
  mac: '02:00:00:00:00:01',
  addresses: ['192.0.2.20/24'],
  rxErrors: 0,
  txErrors: 0,
  rxDropped: 3,
  txDropped: 0,
});
const sshSession: SocketRow = {
  proto: 'tcp',
  localAddress: '10.0.0.5',
  localPort: 22,
  remoteAddress: '203.0.113.9',
  remotePort: 51515,
  state: 'ESTABLISHED',
  pid: 4242,
  process: 'sshd',
  user: 'root',
  uid: 0,
};
const webProcesses = (sshdPid: number, extra: ProcessRow[] = []) => [
  proc(1, 0, 'systemd', '/sbin/init'),
  proc(sshdPid, 1, 'sshd', '/usr/sbin/sshd -D'),
  proc(4242, sshdPid, 'sshd', 'sshd: admin [priv]'),
  proc(5000, 4242, 'bash', '-bash'),
  proc(700, 1, 'cron', '/usr/sbin/cron -f'),
  ...extra,
];

beforeAll(async () => {
  server = await startAppServer();
  session = await signInAsAdmin(server);

  webToken = await enrollTestHost(server, session, 'web-01', ['web', 'dmz']);
  webSnapshotIds.push(
    await postAcceptedSnapshot(
      server.url,
      webToken,
      makeSnapshot('web-01', {
        sockets: [listener(22, 'sshd', { pid: 600 }), listener(111, 'rpcbind', { pid: 650 }), sshSession],
        processes: webProcesses(600, [proc(650, 1, 'rpcbind', '/sbin/rpcbind -w')]),
        interfaces: [iface('eth0'), iface('lo')],
      }),
    ),
  );
  webSnapshotIds.push(
    await postAcceptedSnapshot(
      server.url,
      webToken,
      makeSnapshot('web-01', {
        sockets: [listener(22, 'sshd', { pid: 601 }), listener(8080, 'nginx', { pid: 900, user: 'www-data', uid: 33 }), sshSession],
        processes: webProcesses(601, [proc(900, 1, 'nginx', '/usr/sbin/nginx -g daemon off;', 'www-data')]),
        interfaces: [iface('eth0'), iface('lo')],
      }),
    ),
  );

  const dbToken = await enrollTestHost(server, session, 'db-01', ['db']);
  await postAcceptedSnapshot(
    server.url,
    dbToken,
    makeSnapshot('db-01', { sockets: [listener(5432, 'postgres', { user: 'postgres', uid: 26 })], interfaces: [iface('eth0'), iface('eth1', true)] }),
  );
  await enrollTestHost(server, session, 'spare-01', ['spare']);

  // A path whose hop 2 drops a probe every run; the last run's hop 3 answers !H and jumps ~10×.
  const edgeToken = await enrollTestHost(server, session, 'edge-01');
  const times = spacedTimes(6, 5 * 60_000, 60_000);
  const hop3 = [
    [20, 21, 22],
    [19, 20, 24],
    [21, 20, 22],
    [20, 20, 23],
    [22, 21, 20],
    [[200, '!H'], 210, 205],
  ] as const;
  for (const [index, last] of hop3.entries()) {
    const sockets = index >= 3 ? [listener(22, 'sshd'), listener(8443, 'envoy')] : [listener(22, 'sshd')];
    const run = tracerouteRun('gw.example.net', [[1, 1.2, 1.1], [10 + index, null, 11 + index], [...last] as never]);
    await postAcceptedSnapshot(server.url, edgeToken, makeSnapshot('edge-01', { collectedAt: times[index], sockets, traceroutes: [run] }));
  }

  const xssToken = await enrollTestHost(server, session, 'xss-01');
  await postAcceptedSnapshot(
    server.url,
    xssToken,
    makeSnapshot('xss-01', {
      sockets: [listener(4444, HOSTILE_PROCESS, { pid: 31337 })],
      processes: [proc(31337, 1, HOSTILE_PROCESS, `${HOSTILE_PROCESS} --listen 4444`)],
      interfaces: [iface(HOSTILE_INTERFACE, true)],
    }),
  );

  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await signInPage(page, server);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  for (const stopped of retired) await stopped.dispose();
});

async function screenshotInLightTheme(name: string) {
  const toggle = page.getByRole('button', { name: 'Switch between dark and light theme' });
  await toggle.click();
  await screenshot(page, name);
  await toggle.click();
}

const fleetHosts = () =>
  page
    .getByTestId('fleet-table')
    .locator('tbody tr[data-host]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-host')).sort());

describe('fleet page', () => {
  it('lists every host with status and counts, and filters on the server with filters in the URL', async () => {
    await eventually(fleetHosts).toEqual(['db-01', 'edge-01', 'spare-01', 'web-01', 'xss-01']);
    const web = page.locator('tr[data-host="web-01"]');
    expect(await web.locator('[data-testid="listener-count"]').textContent()).toBe('2');
    expect(await web.locator('td').nth(1).textContent()).toBe('fresh');
    expect(await page.locator('tr[data-host="spare-01"] td').nth(1).textContent()).toBe('never');
    expect(await page.locator('tr[data-host="db-01"] [data-testid="promiscuous-count"]').textContent()).toBe('1');

    await page.getByPlaceholder('Search hosts…').fill('web');
    await eventually(fleetHosts).toEqual(['web-01']);
    expect(page.url()).toContain('q=web');
    await page.getByPlaceholder('Search hosts…').fill('');
    await page.getByLabel('Status').selectOption('never');
    await eventually(fleetHosts).toEqual(['spare-01']);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Label').selectOption('db');
    await eventually(fleetHosts).toEqual(['db-01']);
    await page.getByLabel('Label').selectOption('');
    await page.getByLabel('Promiscuous').check();
    await eventually(fleetHosts).toEqual(['db-01', 'xss-01']);

    // A filtered fleet is a link: it opens filtered.
    await page.goto(`${server.url}/?label=dmz`);
    await eventually(fleetHosts).toEqual(['web-01']);
    expect(await page.getByLabel('Label').inputValue()).toBe('dmz');

    await page.goto(`${server.url}/`);
    await eventually(fleetHosts).toHaveLength(5);
    await eventually(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('live');
    await screenshot(page, 'dashboard-fleet');
    await page.getByRole('button', { name: 'Switch between dark and light theme' }).click();
    expect(await page.evaluate(() => document.documentElement.classList.contains('light'))).toBe(true);
    await screenshot(page, 'dashboard-fleet-light');
    await page.getByRole('button', { name: 'Switch between dark and light theme' }).click();
  });
});

describe('host page', () => {
  it('shows listening sockets joined with process and user: sortable, filterable, exportable', async () => {
    await page.getByRole('link', { name: 'web-01', exact: true }).click();
    const sockets = page.getByTestId('listening-sockets');
    await sockets.locator('tr[data-port="8080"]').waitFor();
    const nginx = sockets.locator('tr[data-port="8080"]');
    expect(await nginx.getByTestId('socket-process').textContent()).toBe('nginx');
    expect(await nginx.textContent()).toContain('www-data');
    expect(await nginx.textContent()).toContain('/usr/sbin/nginx -g daemon off;');

    const ports = () => sockets.locator('tbody tr[data-port]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-port')));
    expect(await ports()).toEqual(['22', '8080']);
    await sockets.getByRole('button', { name: /Port/ }).click();
    expect(await ports()).toEqual(['8080', '22']);
    expect(await sockets.locator('th[aria-sort="descending"]').count()).toBe(1);

    await page.getByTestId('listening-sockets-filter').fill('www-data');
    await eventually(ports).toEqual(['8080']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('web-01-listening.csv');
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      '"proto","local_address","local_port","remote_address","remote_port","state","process","pid","user","uid","command_line","container_or_namespace"',
    );
    expect(csv).toContain('"nginx","900","www-data"');
    expect(csv.trim().split('\r\n')).toHaveLength(2);

    const pipeHref = await page.getByRole('link', { name: 'Pipe table (lsof-socket-out2csv)' }).getAttribute('href');
    const pipe = await page.request.get(`${server.url}${pipeHref}`);
    expect(pipe.status()).toBe(200);
    const pipeLines = (await pipe.text()).trim().split('\n');
    expect(pipeLines[0]).toBe('login|uid|command|ppid|pid|type|protocol|state|src_ip|src_port|dst_ip|dst_port');
    expect(pipeLines).toContain('www-data|33|nginx|1|900|IPv4|TCP|LISTEN|0.0.0.0|8080||');

    await page.getByTestId('listening-sockets-filter').fill('');
    await screenshot(page, 'dashboard-host-listening');
  });

  it('moves between tabs with the arrow keys and keeps the tab in the URL', async () => {
    const listeningTab = page.getByRole('tab', { name: /Listening/ });
    await listeningTab.focus();
    await page.keyboard.press('ArrowRight');
    const established = page.getByRole('tab', { name: /Established/ });
    expect(await established.getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('tab');
    expect(page.url()).toContain('tab=established');
    expect(await page.getByTestId('established-sockets').textContent()).toContain('203.0.113.9:51515');
    await page.keyboard.press('End');
    expect(await page.getByRole('tab', { name: 'History' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Home');
    expect(await listeningTab.getAttribute('aria-selected')).toBe('true');
    expect(page.url()).not.toContain('tab=');
  });

  it('shows processes as a collapsible tree and interfaces with every flag', async () => {
    await page.goto(`${server.url}/hosts/web-01?tab=processes`);
    expect(await page.getByRole('tab', { name: /Processes/ }).getAttribute('aria-selected')).toBe('true');
    const tree = page.getByTestId('processes');
    await tree.locator('tr[data-pid="5000"]').waitFor();
    const order = await tree.locator('tbody tr[data-pid]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-pid')));
    expect(order).toEqual(['1', '601', '4242', '5000', '700', '900']);
    await tree.getByRole('button', { name: 'Collapse children of pid 601' }).click();
    expect(await tree.locator('tr[data-pid="5000"]').count()).toBe(0);
    expect(await tree.locator('tr[data-pid="4242"]').count()).toBe(0);
    await tree.getByRole('button', { name: 'Expand children of pid 601' }).click();
    expect(await tree.locator('tr[data-pid="5000"]').count()).toBe(1);
    await screenshot(page, 'dashboard-host-processes');

    await page.getByRole('tab', { name: /Interfaces/ }).click();
    const eth0 = page.getByTestId('interfaces').locator('tr[data-interface="eth0"]');
    for (const flag of ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST']) expect(await eth0.getByText(flag, { exact: true }).count()).toBe(1);

    await page.goto(`${server.url}/hosts/db-01?tab=interfaces&iface=eth1`);
    const eth1 = page.getByTestId('interfaces').locator('tr[data-interface="eth1"]');
    expect(await eth1.getAttribute('data-promiscuous')).toBe('true');
    expect(await eth1.getByText('PROMISC').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'dashboard-host-interfaces');
  });
});

describe('history and diff', () => {
  it('compares two snapshots picked on the timeline: opened, closed and changed rows, unchanged folded', async () => {
    const [olderId, newerId] = webSnapshotIds as [string, string];
    await page.goto(`${server.url}/hosts/web-01?tab=history`);
    const history = page.getByTestId('history');
    await history.locator(`tr[data-snapshot-id="${olderId}"]`).waitFor();
    expect(await history.locator(`tr[data-snapshot-id="${newerId}"]`).textContent()).toContain('sockets +1 −1 ~1');
    await page.getByLabel(`Compare from snapshot ${olderId}`).check();
    await page.getByLabel(`Compare to snapshot ${newerId}`).check();
    await screenshot(page, 'dashboard-history');
    await page.getByTestId('compare-link').click();
    await page.waitForURL(`${server.url}/hosts/web-01/diff?from=${olderId}&to=${newerId}`);
    await checkWebDiff();
    await screenshot(page, 'dashboard-diff');

    // The same diff, opened from a link.
    await page.goto(`${server.url}/`);
    await page.goto(`${server.url}/hosts/web-01/diff?from=${olderId}&to=${newerId}`);
    await checkWebDiff();
    await screenshotInLightTheme('dashboard-diff-light');
  });
});

async function checkWebDiff() {
  const sockets = page.getByTestId('diff-sockets');
  await sockets.locator('tr[data-change="added"]').waitFor();
  expect(await sockets.locator('tr[data-change="added"]').textContent()).toContain('8080');
  expect(await sockets.locator('tr[data-change="added"]').textContent()).toContain('opened');
  expect(await sockets.locator('tr[data-change="removed"]').textContent()).toContain('rpcbind');
  const changed = sockets.locator('tr[data-change="changed"]');
  expect(await changed.getAttribute('data-changed-fields')).toBe('pid');
  expect(await changed.locator('[data-changed-field="PID"]').textContent()).toBe('was 600now 601');
  expect(await sockets.locator('tr[data-change="unchanged"]').count()).toBe(0);
  await sockets.getByRole('button', { name: 'Show 1 unchanged row' }).click();
  expect(await sockets.locator('tr[data-change="unchanged"]').textContent()).toContain('203.0.113.9:51515');

  const processes = page.getByTestId('diff-processes');
  const added = await processes.locator('tr[data-change="added"]').allTextContents();
  expect(added.join(' ')).toContain('nginx');
  expect(await processes.locator('tr[data-change="removed"]').count()).toBe(2);
  await processes.getByRole('button', { name: 'Show 3 unchanged rows' }).click();
  expect(await processes.locator('tr[data-change="unchanged"]').count()).toBe(3);
  expect(await page.getByTestId('diff-interfaces').textContent()).toContain('2 unchanged');
}

describe('alerts page', () => {
  it('filters, acknowledges, annotates and reopens in place; new alerts and acks arrive live', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await page.waitForURL(`${server.url}/alerts`);
    const table = page.getByTestId('alerts-table');
    await table.locator('tr[data-alert-id]').first().waitFor();
    await page.getByLabel('Kind').selectOption('listener.opened');
    await eventually(() => table.locator('tr[data-alert-id]').evaluateAll((rows) => [...new Set(rows.map((row) => row.getAttribute('data-kind')))])).toEqual([
      'listener.opened',
    ]);
    expect(page.url()).toContain('kind=listener.opened');

    const nginxRow = table.locator('tr[data-alert-id]').filter({ hasText: '8080' });
    expect(await nginxRow.getAttribute('data-state')).toBe('open');
    await nginxRow.getByRole('button', { name: 'Acknowledge' }).click();
    await eventually(() => nginxRow.getAttribute('data-state')).toBe('acknowledged');
    expect(await nginxRow.textContent()).toContain('by admin');
    await nginxRow.getByRole('button', { name: 'Note' }).click();
    await page.getByLabel(/Note for alert/).fill('nginx deploy, ticket OPS-12');
    await page.getByRole('button', { name: 'Save note' }).click();
    await eventually(() => nginxRow.getByTestId('alert-note').textContent()).toBe('Note: nginx deploy, ticket OPS-12');
    await nginxRow.getByRole('button', { name: 'Reopen' }).click();
    await eventually(() => nginxRow.getAttribute('data-state')).toBe('open');

    // A new listener elsewhere arrives at the top without a reload; an ack from another analyst updates it in place.
    const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));
    webSnapshotIds.push(
      await postAcceptedSnapshot(
        server.url,
        webToken,
        makeSnapshot('web-01', {
          sockets: [
            listener(22, 'sshd', { pid: 601 }),
            listener(8080, 'nginx', { pid: 900, user: 'www-data', uid: 33 }),
            listener(9999, 'nc', { pid: 6666, user: 'nobody', uid: 65534 }),
            sshSession,
          ],
          processes: webProcesses(601, [proc(900, 1, 'nginx', '/usr/sbin/nginx -g daemon off;', 'www-data'), proc(6666, 5000, 'nc', 'nc -lvp 9999', 'nobody')]),
          interfaces: [iface('eth0'), iface('lo')],
        }),
      ),
    );
    // It joins the host's other new listeners of the last minutes: one row with a count, the newest named.
    const group = table.locator('tr[data-alert-group="listener.opened"]').first();
    await eventually(() => group.textContent()).toContain('9999');
    expect(Number(await group.getAttribute('data-group-size'))).toBeGreaterThan(1);
    await group.getByTestId('alert-group-toggle').click();
    const firstRow = table.locator('tr[data-alert-id][data-in-group="true"]').filter({ hasText: '9999' });
    const newId = await firstRow.getAttribute('data-alert-id');
    const ack = await fetch(`${server.url}/api/v1/alerts/${newId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({ action: 'acknowledge', note: 'seen on the bridge' }),
    });
    expect(ack.status).toBe(200);
    await eventually(() => firstRow.getAttribute('data-state')).toBe('acknowledged');
    expect(await firstRow.getByTestId('alert-note').textContent()).toBe('Note: seen on the bridge');
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
    await screenshot(page, 'dashboard-alerts');

    // The rest of the group in one click: one request to the bulk endpoint, however many alerts.
    const triageRequests: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/v1/alerts/')) triageRequests.push(new URL(request.url()).pathname);
    });
    const openMembers = table.locator('tr[data-alert-id][data-in-group="true"][data-state="open"]');
    const openCount = await openMembers.count();
    expect(openCount).toBeGreaterThan(0);
    await group.getByRole('button', { name: `Acknowledge ${openCount}` }).click();
    await eventually(() => openMembers.count()).toBe(0);
    expect(triageRequests).toEqual(['/api/v1/alerts/triage']);
    expect(await group.textContent()).toContain('none open');
  });
});

describe('latency', () => {
  it('charts min / median / max and loss per hop, with * and !H, the latency jump and inventory changes marked', async () => {
    await page.goto(`${server.url}/hosts/edge-01?tab=latency`);
    const chart = page.getByTestId('latency-chart');
    await chart.locator('svg.recharts-surface').first().waitFor();
    const hops = page.getByTestId('hop-table');
    expect(await hops.locator('tbody tr').count()).toBe(3);
    expect(await hops.locator('tr[data-hop="2"] [data-testid="hop-notes"]').textContent()).toBe('*');
    expect(await hops.locator('tr[data-hop="3"] [data-testid="hop-notes"]').textContent()).toBe('!H');
    expect(await hops.locator('tr[data-hop="2"]').textContent()).toContain('33.3%');
    await eventually(() => chart.locator('.latency-jump-line').count()).toBe(1);
    expect(await chart.locator('.inventory-change-line').count()).toBe(1);
    expect(await chart.locator('[data-testid="latency-mark"]').allTextContents()).toEqual(['!H']);
    // The smoke (min–max band) and the median line are drawn.
    expect(await chart.locator('.recharts-area-area').count()).toBe(1);
    expect(await chart.locator('.recharts-line-curve').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'dashboard-latency');

    await hops.getByRole('button', { name: 'Show hop 2 in the chart' }).click();
    expect(await hops.locator('tr[data-hop="2"]').getAttribute('aria-selected')).toBe('true');
    await eventually(() => chart.locator('[data-testid="latency-mark"]').count()).toBe(6);
    expect(new Set(await chart.locator('[data-testid="latency-mark"]').allTextContents())).toEqual(new Set(['*']));
    await screenshot(page, 'dashboard-latency-hop2');
    await screenshotInLightTheme('dashboard-latency-light');
  });
});

describe('fleet-wide questions', () => {
  it('answers who listens on a port, who runs a program and what was newly exposed', async () => {
    await page.goto(`${server.url}/search?port=8080`);
    const listeners = page.getByTestId('listener-results');
    await listeners.locator('tr[data-host="web-01"]').waitFor();
    expect(await page.getByTestId('listener-results-summary').textContent()).toBe('1 listener on 1 host');
    await page.getByLabel('Process name').fill('nginx');
    await page.getByTestId('search-processes').getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('process-results').locator('tr[data-host="web-01"]').waitFor();
    expect(page.url()).toContain('process=nginx');
    const exposed = page.getByTestId('exposure-results');
    await exposed.locator('tr[data-host="web-01"]').first().waitFor();
    expect(await exposed.textContent()).toContain('0.0.0.0:9999');
    await screenshot(page, 'dashboard-search');
  });
});

describe('attacker-controlled text', () => {
  it('renders a hostile process name and interface name as text: no element, no dialog', async () => {
    await page.goto(`${server.url}/hosts/xss-01`);
    const row = page.getByTestId('listening-sockets').locator('tr[data-port="4444"]');
    await row.waitFor();
    expect(await row.getByTestId('socket-process').textContent()).toBe(HOSTILE_PROCESS);
    expect(await row.getByTestId('socket-process').isVisible()).toBe(true);
    await page.getByRole('tab', { name: /Processes/ }).click();
    expect(await page.getByTestId('process-command').filter({ hasText: HOSTILE_PROCESS }).isVisible()).toBe(true);
    await page.getByRole('tab', { name: /Interfaces/ }).click();
    expect(await page.getByTestId('interfaces').getByText(HOSTILE_INTERFACE).isVisible()).toBe(true);

    const banner = page.getByTestId('promiscuous-banner').locator('li[data-host="xss-01"]');
    expect(await banner.textContent()).toContain(HOSTILE_INTERFACE);
    expect(await banner.getByRole('link', { name: 'Show interface' }).getAttribute('href')).toBe(
      `/hosts/xss-01?tab=interfaces&iface=${encodeURIComponent(HOSTILE_INTERFACE)}`,
    );
    await page.goto(`${server.url}/alerts?host=xss-01`);
    await page.getByTestId('alerts-table').getByText(HOSTILE_INTERFACE, { exact: false }).first().waitFor();
    await page.goto(`${server.url}/search?process=${encodeURIComponent(HOSTILE_PROCESS)}`);
    await page.getByTestId('process-results').locator('tr[data-host="xss-01"]').waitFor();

    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    expect(dialogs).toEqual([]);
    await page.goto(`${server.url}/hosts/xss-01`);
    await page.getByTestId('listening-sockets').locator('tr[data-port="4444"]').waitFor();
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    expect(dialogs).toEqual([]);
    await screenshot(page, 'dashboard-hostile-text');
  });
});

describe('viewers', () => {
  it('see the promiscuous banner but no acknowledge button, and no triage actions', async () => {
    const password = await createTestUser(server, 'viewer-1', 'viewer');
    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    try {
      const viewerPage = await viewerContext.newPage();
      await signInPage(viewerPage, server, 'viewer-1', password);
      const banner = viewerPage.getByTestId('promiscuous-banner');
      await banner.locator('li[data-host="db-01"]').waitFor();
      expect(await banner.textContent()).toContain('eth1');
      expect(await banner.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
      expect(await banner.getByText('An analyst must acknowledge this.').count()).toBeGreaterThan(0);
      await viewerPage.goto(`${server.url}/alerts`);
      await viewerPage.getByTestId('alerts-table').locator('tr[data-alert-id]').first().waitFor();
      expect(await viewerPage.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
      expect(await viewerPage.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
      await screenshot(viewerPage, 'dashboard-viewer-alerts');
    } finally {
      await viewerContext.close();
    }
  });
});

describe('empty states', () => {
  it('say what to do: a host that never reported, no traceroute targets, one snapshot, a section not collected, nothing matching', async () => {
    await page.goto(`${server.url}/hosts/spare-01`);
    const notReported = page.getByTestId('host-not-reported');
    expect(await notReported.textContent()).toContain('spare-01 has not reported yet.');
    expect(await notReported.textContent()).toContain('npm run admin -- rotate-token spare-01');
    expect(await page.getByRole('tab').count()).toBe(0);
    await screenshot(page, 'empty-host-not-reported');

    await page.goto(`${server.url}/hosts/db-01?tab=latency`);
    const latency = page.getByTestId('latency-empty');
    await latency.waitFor();
    expect(await latency.textContent()).toContain('SOCKSCOPE_TRACEROUTE_TARGETS=192.0.2.1,gateway.example.org');
    await screenshot(page, 'empty-latency');

    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByText('One snapshot so far: a comparison needs two.').waitFor();
    await screenshot(page, 'empty-history-one-snapshot');
    await page.getByRole('tab', { name: /Packages/ }).click();
    expect(await page.getByTestId('empty-state').textContent()).toContain('Packages were not collected.');

    // Sockets imported from a tool's output alone: no process list to show.
    const importedToken = await enrollTestHost(server, session, 'imported-01');
    await postAcceptedSnapshot(server.url, importedToken, makeSnapshot('imported-01', { processes: undefined, interfaces: undefined }));
    await page.goto(`${server.url}/hosts/imported-01?tab=processes`);
    expect(await page.getByTestId('empty-state').textContent()).toContain('Processes were not collected.');
    expect(await page.getByTestId('empty-state').textContent()).toContain('ps aux');
    await screenshot(page, 'empty-processes-not-collected');

    await page.goto(`${server.url}/alerts?host=nobody-01`);
    await page.getByText('No alert matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Show every alert' }).click();
    await page.getByTestId('alerts-table').locator('tr[data-alert-id], tr[data-alert-group]').first().waitFor();
    expect(page.url()).not.toContain('host=');

    await page.goto(`${server.url}/search?port=9`);
    expect(await page.getByTestId('listener-results-summary').textContent()).toBe('0 listeners on 0 hosts');
    await page.getByText('No host listens on port 9 in its latest snapshot.').waitFor();
    await screenshot(page, 'empty-search');
  });
});

describe('connection loss', () => {
  it('shows "reconnecting" while the server is away, then resyncs the open page without a reload', async () => {
    await page.goto(`${server.url}/`);
    await eventually(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('live');
    const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));

    const original = server;
    await original.stop();
    retired.push(original);
    await eventually(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('reconnecting');
    expect(await page.getByTestId('connection-state').textContent()).toContain('Reconnecting');
    await screenshot(page, 'dashboard-reconnecting');

    // Same port, same data. A host reports before the page is back: only a resync can show it.
    server = await startAppServer({ port: original.port, keepData: { env: original.env } });
    session = await signInAsAdmin(server);
    const lateToken = await enrollTestHost(server, session, 'late-01');
    await postAcceptedSnapshot(server.url, lateToken, makeSnapshot('late-01'));
    await eventually(() => page.getByTestId('connection-state').getAttribute('data-state'), 30_000).toBe('live');
    await eventually(fleetHosts).toContain('late-01');
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
  });
});
