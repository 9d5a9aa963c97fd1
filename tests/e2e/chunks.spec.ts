import { Page } from '@playwright/test';
import { en, expect, expectAccessible, isStatic, signIn, test, useLanguage, zh } from './helpers';

// Pages used together share a wasm chunk, their page group (`split_<group>.wasm`: work, me,
// setup, import; plus shared `chunk_<n>.wasm`), fetched when the group's first page
// is opened.
function wasmRequests(page: Page) {
  const fetched: string[] = [];
  page.on('request', (r) => {
    const file = new URL(r.url()).pathname.split('/').pop() ?? '';
    if (file.endsWith('.wasm')) fetched.push(file);
  });
  return fetched;
}

test('sign-in downloads the shell only, never the scorecard builder', async ({ page }) => {
  const fetched = wasmRequests(page);
  await page.goto('/signin');
  await expect(page.locator('h1')).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(fetched).toContain('kappa_bg.wasm');
  expect(fetched.filter((f) => f.startsWith('split_'))).toEqual([]);
  expect(fetched).not.toContain('split_setup.wasm');
});

test('a page chunk loads when the page is first opened, and only then', async ({ page }, info) => {
  const fetched = wasmRequests(page);
  await signIn(page, info, 'lead1');
  await page.goto('/calls');
  await expect(page.locator('table')).toBeVisible();
  expect(fetched).toContain('split_work.wasm');
  expect(fetched).not.toContain('split_setup.wasm');
  await page.locator('.sidenav a[href="/scorecards"]').click();
  await expect(page.locator('h1')).toHaveText(en.scorecards.title);
  expect(fetched).toContain('split_setup.wasm');
  const before = fetched.length;
  await page.locator('.sidenav a[href="/calls"]').click();
  await expect(page.locator('table')).toBeVisible();
  expect(fetched.slice(before), 'a loaded chunk is not fetched again').toEqual([]);
});

test('a deep link preloads the chunks of its page before the app starts', async ({ page }, info) => {
  await signIn(page, info, 'lead1');
  await page.goto('/scorecards/1');
  await expect(page.locator('h1')).toBeVisible();
  const hints = await page.locator('link[rel=preload][href*="split_setup.wasm"]').count();
  expect(hints).toBe(1);
  expect(await page.locator('link[rel=preload][href*="/chunk_"]').count()).toBeGreaterThan(0);
});

test('hovering a navigation link fetches its page before the click', async ({ page }, info) => {
  const fetched = wasmRequests(page);
  await signIn(page, info, 'admin');
  expect(fetched).not.toContain('split_setup.wasm');
  await page.locator('.sidenav a[href="/users"]').hover();
  await expect.poll(() => fetched.includes('split_setup.wasm')).toBe(true);
});

for (const language of ['en', 'zh-CN'] as const) {
  test(`a blocked chunk shows a retry state (${language}), and retry loads the page`, async ({ page }, info) => {
    const t = language === 'en' ? en : zh;
    await signIn(page, info, 'admin');
    await useLanguage(page, language);
    let blocked = true;
    await page.route(/split_setup\.wasm$/, (route) => (blocked ? route.abort('failed') : route.continue()));
    await page.locator('.sidenav a[href="/users"]').click();
    const alert = page.locator('.chunk-unavailable');
    await expect(alert).toBeVisible();
    await expect(alert.locator('h1')).toHaveText(t.chunk.title);
    await expectAccessible(page);
    // The rest of the app keeps working while one page is missing.
    await page.locator('.sidenav a[href="/calls"]').click();
    await expect(page.locator('table')).toBeVisible();
    await page.locator('.sidenav a[href="/users"]').click();
    await expect(alert).toBeVisible();
    blocked = false;
    await alert.getByRole('button', { name: t.chunk.retry }).click();
    await expect(page.locator('h1')).toHaveText(t.users.title);
    await expect(page.locator('table')).toBeVisible();
  });
}

// Served by the Kappa server, the page carries the session and the site's mode, and preloads the
// page's chunks and its first reads (crates/server/src/boot.rs): nothing waits for a round trip
// after the main module starts. A static host serves the page as built.
const mainPages: [string, string][] = [
  ['lead1', '/calls'],
  ['lead1', '/queue'],
  ['reviewer1', '/queue'],
  ['agent1', '/me'],
  ['lead2', '/calibration'],
  ['admin', '/scorecards/1'],
  ['reviewer1', '/review/:id'],
];

/** The review workspace of the signed-in reviewer's first open call. */
async function firstOpenReview(page: Page) {
  const queue = await (await page.request.get('/api/queue')).json();
  const open = queue.items.find((item: { assignment: { status: string } }) => item.assignment.status === 'open');
  return `/review/${open.call.id}`;
}

for (const [who, route] of mainPages) {
  test(`${route} as ${who} starts without asking for the session, and reads each preload once`, async ({ page }, info) => {
    test.skip(isStatic(info), 'a static host serves the page as built');
    await signIn(page, info, who);
    const path = route === '/review/:id' ? await firstOpenReview(page) : route;
    // Away from the app first, so only the cold load's requests are counted.
    await page.goto('about:blank');
    const requests: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      requests.push(url.pathname + url.search);
    });
    const response = await page.goto(path);
    const html = (await response?.text()) ?? '';
    expect(response?.headers()['cache-control']).toBe('no-store');
    expect(html).toContain(`"username":"${who}"`);
    await expect(page.locator('main h1')).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(requests).not.toContain('/api/session');
    expect(requests).not.toContain('/config.json');
    const preloaded = [...html.matchAll(/<link rel="preload" href="(\/api\/[^"]+)"/g)].map((m) => {
      const url = new URL(m[1].replaceAll('&amp;', '&'), 'http://x');
      return url.pathname + url.search;
    });
    expect(preloaded.length, 'the page has reads to start early').toBeGreaterThan(0);
    for (const url of preloaded) {
      expect(requests.filter((r) => r === url), `${url}: preloaded and read once`).toHaveLength(1);
    }
    const api = requests.filter((r) => r.startsWith('/api/') || r.endsWith('.wasm'));
    expect(api.filter((r, i) => api.indexOf(r) !== i), 'nothing is fetched twice').toEqual([]);
  });
}

test('a signed-out deep link preloads nothing of the page, asks nothing, and fails nothing', async ({ page }, info) => {
  test.skip(isStatic(info), 'a static host serves the page as built');
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.text().includes('preload')) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
  });
  const response = await page.goto('/scorecards/1');
  const html = (await response?.text()) ?? '';
  expect(html).toContain('"user":null');
  expect(html).not.toContain('split_setup.wasm');
  await expect(page).toHaveURL(/\/signin\?next=%2Fscorecards%2F1/);
  await expect(page.locator('#username')).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(requests.filter((r) => r.startsWith('/api/') || r === '/config.json' || r.includes('split_'))).toEqual([]);
  expect(problems).toEqual([]);
});

test('after signing out, Back shows no signed-in data', async ({ page }, info) => {
  await signIn(page, info, 'lead1');
  await page.goto('/calls');
  await expect(page.locator('table tbody tr').first()).toBeVisible();
  const firstCall = (await page.locator('table tbody tr').first().innerText()).split('\n')[0];
  await page.getByRole('button', { name: en.shell.sign_out, exact: true }).first().click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goBack();
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.locator('table')).toHaveCount(0);
  await expect(page.getByText(firstCall, { exact: false })).toHaveCount(0);
  // A fresh load of the same address (what Back does after a full navigation away) is no better.
  await page.goto('/calls');
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.locator('table')).toHaveCount(0);
});

test('a second visit downloads no wasm: built files are cached for good', async ({ page }, info) => {
  test.skip(isStatic(info), 'a static host decides its own caching');
  await signIn(page, info, 'lead1');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map<string, string>();
  let wasmBytes = 0;
  let wasmFiles = 0;
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    if (urls.get(e.requestId)?.endsWith('.wasm')) {
      wasmFiles += 1;
      wasmBytes += e.encodedDataLength;
    }
  });
  await page.goto('/calls');
  await expect(page.locator('table tbody tr').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(wasmFiles, 'the first visit loads the shell and the work group').toBeGreaterThan(1);
  [wasmBytes, wasmFiles] = [0, 0];
  await page.goto('about:blank');
  await page.goto('/calls');
  await expect(page.locator('table tbody tr').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(wasmFiles, 'the same files are used again').toBeGreaterThan(1);
  expect(wasmBytes, 'bytes of wasm over the network on the second visit').toBe(0);
});
