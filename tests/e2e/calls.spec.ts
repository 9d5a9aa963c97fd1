import { expect, test, en, zh, isStatic, signIn, useLanguage } from './helpers';

test('call filters live in the URL and survive a reload', async ({ page }, info) => {
  await signIn(page, info, 'reviewer1');
  await page.goto('/calls');
  const count = page.locator('.result-count');
  await expect(count).toContainText(/\d,\d{3}/);
  const everything = await count.textContent();

  await page.getByLabel(en.calls.team).selectOption({ label: 'Refunds & Complaints' });
  await expect(page).toHaveURL(/team=2/);
  await page.getByLabel(en.calls.queue).selectOption({ label: 'Refunds' });
  await page.getByLabel(en.calls.complaint).selectOption({ label: en.calls.yes });
  await expect(page).toHaveURL(/team=2&queue=refunds&complaint=yes/);
  // The address changes first; the count is final once every row shown is a complaint.
  await expect(page.locator('tbody tr:not(:has(.tag-danger))')).toHaveCount(0);
  await expect(count).not.toHaveText(everything!);
  const filtered = await count.textContent();

  await page.reload();
  await expect(page.getByLabel(en.calls.team)).toHaveValue('2');
  await expect(page.getByLabel(en.calls.queue)).toHaveValue('refunds');
  await expect(page.getByLabel(en.calls.complaint)).toHaveValue('yes');
  await expect(count).toHaveText(filtered!);
  const queueCells = page.locator('tbody tr td:nth-child(4)');
  await expect(queueCells.first()).toHaveText('Refunds');
  expect(new Set(await queueCells.allTextContents())).toEqual(new Set(['Refunds']));
  await expect(page.locator('tbody tr .tag-danger')).toHaveCount(await page.locator('tbody tr').count());

  await page.getByRole('button', { name: en.calls.reset }).click();
  await expect(page).toHaveURL(/\/calls$/);
  await expect(count).toHaveText(everything!);
});

test('sorting by a column header sets aria-sort and orders the rows', async ({ page }, info) => {
  await signIn(page, info, 'lead1');
  await page.goto('/calls?csat_min=1');
  const header = page.getByRole('columnheader', { name: en.calls.col_csat });
  await header.getByRole('button').click();
  await expect(page).toHaveURL(/sort=csat/);
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  // The header flips at once; the rows follow when the new page arrives.
  await expect(page.locator('tbody tr td:nth-child(8)').first()).toHaveText('1');
  const scores = (await page.locator('tbody tr td:nth-child(8)').allTextContents()).map(Number);
  expect(scores).toEqual([...scores].sort((a, b) => a - b));
});

test('paging by button and by the ] and [ keys', async ({ page }, info) => {
  await signIn(page, info, 'reviewer1');
  await page.goto('/calls?size=50');
  const firstRow = page.locator('tbody tr').first();
  // Settled first: a queue shows its code until the centre's names have arrived.
  await page.waitForLoadState('networkidle');
  const first = await firstRow.textContent();
  await page.getByRole('button', { name: en.calls.next }).click();
  await expect(page).toHaveURL(/size=50&page=2|page=2&size=50|page=2/);
  await expect(firstRow).not.toHaveText(first!);
  await page.locator('main').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(']');
  await expect(page).toHaveURL(/page=3/);
  await page.keyboard.press('[');
  await page.keyboard.press('[');
  await expect(page).not.toHaveURL(/page=/);
  await expect(firstRow).toHaveText(first!);
});

test('a link with a filter the app cannot read says so and keeps the rest', async ({ page }, info) => {
  await signIn(page, info, 'reviewer1');
  // Any well-formed queue code reads (the centre names its own queues); a direction is one of two.
  await page.goto('/calls?team=1&direction=sideways');
  const warning = page.getByRole('status').filter({ hasText: en.calls.invalid_params });
  await expect(warning).toContainText('direction=sideways');
  await expect(warning).toContainText(en.calls.problem_one_of.split('{{')[0]);
  await expect(page.getByLabel(en.calls.team)).toHaveValue('1');
  await useLanguage(page, 'zh-CN');
  await expect(page.getByRole('status').filter({ hasText: zh.calls.invalid_params })).toContainText(zh.calls.problem_one_of.split('{{')[0]);
});

test('a recorded call plays real audio with a transcript that follows it', async ({ page }, info) => {
  await signIn(page, info, 'reviewer1');
  await page.goto('/calls?queue=changes&size=200');
  const recorded = page.locator('tbody tr', { hasText: en.calls.recorded }).first();
  await recorded.getByRole('link').click();
  await expect(page).toHaveURL(/\/calls\/\d+$/);
  const audio = page.locator('audio');
  // The server plays recordings through a checked route that answers Range requests, so the
  // player can seek; the static build ships them as files.
  await expect(audio).toHaveAttribute('src', isStatic(info) ? /\/audio\/.+\.ogg$/ : /\/api\/calls\/\d+\/recording$/);
  if (!isStatic(info)) {
    const partial = await page.request.get((await audio.getAttribute('src'))!, { headers: { Range: 'bytes=100-199' } });
    expect(partial.status()).toBe(206);
    expect((await partial.body()).length).toBe(100);
  }
  const duration = await audio.evaluate(async (el: HTMLAudioElement) => {
    if (el.readyState < 1) await new Promise((r) => el.addEventListener('loadedmetadata', r, { once: true }));
    return el.duration;
  });
  expect(duration).toBeGreaterThan(20);
  const turns = page.locator('.transcript li');
  expect(await turns.count()).toBeGreaterThanOrEqual(6);
  await turns.nth(2).getByRole('button').click();
  await expect(turns.nth(2)).toHaveClass(/speaking/);
});
