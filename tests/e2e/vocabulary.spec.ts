import { actAs, expect, expectAccessible, test, en, zh } from './helpers';

for (const language of ['en', 'zh-CN'] as const) {
  const L = language === 'en' ? en : zh;

  test(`an admin adds, renames and retires a queue, and the pickers follow (${language})`, async ({ page }, info) => {
    await actAs(page, info, 'admin', language);
    await page.goto('/vocabulary');
    await expect(page.getByRole('heading', { level: 1, name: L.vocabulary.title })).toBeVisible();
    const queues = page.getByRole('region', { name: L.vocabulary.queues });
    await expect(queues.locator('tbody tr', { has: page.locator('code', { hasText: /^bookings$/ }) })).toContainText(
      language === 'en' ? 'Bookings' : '预订',
    );
    // Its own queue: the demo server is shared by every test.
    const tag = `${language === 'en' ? 'en' : 'zh'}-${Date.now() % 1000000}`;
    const code = `vip-${tag}`;
    await queues.getByRole('button', { name: L.vocabulary.new_queue }).click();
    await page.locator('#new-queue-code').fill(code);
    await page.locator('#new-queue-en').fill(`VIP ${tag}`);
    await page.locator('#new-queue-zh').fill(`贵宾 ${tag}`);
    await expectAccessible(page);
    await queues.getByRole('button', { name: L.vocabulary.add, exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: tag })).toBeVisible();
    const row = queues.locator('tbody tr', { has: page.locator('code', { hasText: new RegExp(`^${code}$`) }) });
    await expect(row).toContainText(L.vocabulary.active);

    // A code in capitals is refused beside its field, in the reader's language.
    await queues.getByRole('button', { name: L.vocabulary.new_queue }).click();
    await page.locator('#new-queue-code').fill('VIP Desk');
    await page.locator('#new-queue-en').fill(`Other ${tag}`);
    await queues.getByRole('button', { name: L.vocabulary.add, exact: true }).click();
    await expect(queues.locator('.field-error')).toBeVisible();
    await queues.getByRole('button', { name: L.vocabulary.cancel, exact: true }).click();

    await row.getByRole('button', { name: L.vocabulary.edit }).click();
    await page.locator('#edit-queue-en').fill(`VIP desk ${tag}`);
    await queues.getByRole('button', { name: L.vocabulary.save }).click();
    await expect(row).toContainText(`VIP desk ${tag}`);

    // In use, the calls' queue filter offers it; retired, no longer, while its name stays here.
    await page.goto('/calls');
    await expect(page.locator('#filter-queue option', { hasText: language === 'en' ? `VIP desk ${tag}` : `贵宾 ${tag}` })).toHaveCount(1);
    await expect(page.locator('#filter-queue option', { hasText: language === 'en' ? 'Bookings' : '预订' })).toHaveCount(1);
    await page.goto('/vocabulary');
    await row.getByRole('button', { name: L.vocabulary.retire }).click();
    await expect(row).toContainText(L.vocabulary.retired);
    await page.reload();
    await expect(row).toContainText(L.vocabulary.retired);
    await expectAccessible(page);
    await page.goto('/calls');
    await expect(page.locator('#filter-queue option', { hasText: language === 'en' ? 'Bookings' : '预订' })).toHaveCount(1);
    await expect(page.locator('#filter-queue option', { hasText: tag })).toHaveCount(0);
  });
}

test('only administrators name queues and outcomes', async ({ page }, info) => {
  await actAs(page, info, 'lead1', 'en');
  await page.goto('/calls');
  await expect(page.getByRole('navigation', { name: en.nav.label })).toBeVisible();
  await expect(page.getByRole('link', { name: en.nav.vocabulary })).toHaveCount(0);
  await page.goto('/vocabulary');
  await expect(page.getByRole('button', { name: en.vocabulary.new_queue })).toHaveCount(0);
});
