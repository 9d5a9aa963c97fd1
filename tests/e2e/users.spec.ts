import { actAs, expect, expectAccessible, test, en, zh, signIn } from './helpers';

test('an admin deactivates and reactivates a user, and the change is kept', async ({ page }, info) => {
  await signIn(page, info, 'admin');
  await page.goto('/users');
  const row = page.locator('tbody tr', { has: page.locator('code', { hasText: /^agent27$/ }) });
  await expect(row).toContainText(en.users.active);
  await row.getByRole('button', { name: en.users.deactivate }).click();
  await expect(row).toContainText(en.users.inactive);
  // The button is released once the change is stored; only then is a reload meaningful.
  await expect(row.getByRole('button', { name: en.users.activate })).toBeEnabled();
  await page.reload();
  await expect(row).toContainText(en.users.inactive);
  await row.getByRole('button', { name: en.users.activate }).click();
  await expect(row).toContainText(en.users.active);
  const me = page.locator('tbody tr', { has: page.locator('code', { hasText: /^admin$/ }) });
  await expect(me.getByRole('button', { name: en.users.deactivate })).toBeDisabled();
});

for (const language of ['en', 'zh-CN'] as const) {
  const L = language === 'en' ? en : zh;
  // Each language its own account: the demo server is shared.
  const username = language === 'en' ? 'agent25' : 'agent26';

  test(`an admin finds a user by search and corrects their name and team (${language})`, async ({ page }, info) => {
    await actAs(page, info, 'admin', language);
    await page.goto('/users');
    await page.locator('#user-search').fill(username);
    const rows = page.locator('tbody tr:visible');
    await expect(rows).toHaveCount(1);
    // Other tests may have opened accounts on the shared server: any total.
    await expect(page.locator('#user-count')).toHaveText(
      new RegExp(L.users.count_matching.replace('{{ shown }}', '1').replace('{{ count }}', '\\d+')),
    );
    await rows.first().getByRole('button', { name: L.users.edit }).click();
    const form = page.getByTestId('edit-user');
    await expect(form).toBeVisible();
    const renamed = `Renamed ${language}`;
    await page.locator('#edit-display-name').fill(renamed);
    await page.locator('#edit-team').selectOption('3');
    await expectAccessible(page);
    await form.getByRole('button', { name: L.users.save_edit }).click();
    await expect(page.getByRole('status').filter({ hasText: renamed })).toBeVisible();
    await page.locator('#user-search').fill(renamed);
    await expect(page.locator('tbody tr:visible')).toHaveCount(1);
    await expect(page.locator('tbody tr:visible')).toContainText(username);
    // A name of spaces is refused beside the field, and the account keeps its name.
    await page.locator('tbody tr:visible').getByRole('button', { name: L.users.edit }).click();
    await page.locator('#edit-display-name').fill('   ');
    await form.getByRole('button', { name: L.users.save_edit }).click();
    await expect(form.locator('.field-error')).toBeVisible();
    // The agent code (工号) imports match calls by: one another account holds is refused beside
    // its field; a free one is kept, shown in the list and found by the search.
    await expect(page.locator('#edit-agent-code')).toHaveValue(language === 'en' ? '1025' : '1026');
    await page.locator('#edit-display-name').fill(renamed);
    await page.locator('#edit-agent-code').fill('1001');
    await form.getByRole('button', { name: L.users.save_edit }).click();
    await expect(form.locator('.field-error')).toHaveText(L.calls.problem_taken);
    const code = language === 'en' ? 'EN-25' : 'ZH-26';
    await page.locator('#edit-agent-code').fill(code);
    await form.getByRole('button', { name: L.users.save_edit }).click();
    await expect(form).toBeHidden();
    await page.locator('#user-search').fill(code.toLowerCase());
    await expect(page.locator('tbody tr:visible')).toHaveCount(1);
    await expect(page.locator('tbody tr:visible')).toContainText(code);
  });
}
