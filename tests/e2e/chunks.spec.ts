import { Page } from '@playwright/test';
import { en, expect, expectAccessible, signIn, test, useLanguage, zh } from './helpers';

// Pages used together share a wasm chunk, their page group (`split_<group>.wasm`: work, me,
// setup, calibration, insight; plus shared `chunk_<n>.wasm`), fetched when the group's first page
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
