import { expect, test, en, signIn } from './helpers';

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
