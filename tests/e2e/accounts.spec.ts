import { expect, test, en, zh, expectAccessible, isStatic, signIn, useLanguage } from './helpers';

test('an admin opens an account, each refused field says why beside itself, and the new person signs in', async ({ page, browser }, info) => {
  await signIn(page, info, 'admin');
  await page.goto('/users');
  await page.getByRole('button', { name: en.users.new }).click();
  const form = page.locator('form', { has: page.locator('#new-user-title') });
  await form.getByLabel(en.users.field_username).fill('new hire!');
  await form.getByLabel(en.users.field_display_name).fill('林新 Lin Xin');
  await form.getByLabel(en.users.field_role).selectOption('reviewer');
  await form.getByLabel(en.users.field_password).fill('short');
  await form.getByRole('button', { name: en.users.create }).click();
  await expect(form.getByRole('alert')).toContainText(en.error.invalid_input);
  await expect(form.getByLabel(en.users.field_username)).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('#username-error')).toContainText(en.calls.problem_characters.split('{{')[0]);
  await expect(form.locator('#new-password-error')).toContainText('8');
  await expect(form.getByLabel(en.users.field_display_name)).not.toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  // Nothing typed is lost: only the refused fields need another look.
  await expect(form.getByLabel(en.users.field_display_name)).toHaveValue('林新 Lin Xin');
  await form.getByLabel(en.users.field_username).fill('lin.xin');
  await form.getByLabel(en.users.field_password).fill('first password');
  await form.getByRole('button', { name: en.users.create }).click();
  await expect(page.locator('.alert-ok')).toContainText('林新 Lin Xin');
  const row = page.locator('tbody tr', { has: page.locator('code', { hasText: /^lin\.xin$/ }) });
  await expect(row).toContainText(en.role.reviewer);
  await page.reload();
  await expect(row).toContainText(en.role.reviewer);
  if (!isStatic(info)) {
    const other = await (await browser.newContext()).newPage();
    await signIn(other, info, 'lin.xin', 'first password');
    await expect(other).toHaveURL(/\/queue$/);
  }
});

test('an admin sets a password, and its owner changes it on their account page', async ({ page, browser }, info) => {
  test.skip(isStatic(info), 'the static demo signs in without passwords');
  await signIn(page, info, 'admin');
  await page.goto('/users');
  const row = page.locator('tbody tr', { has: page.locator('code', { hasText: /^reviewer4$/ }) });
  await row.getByRole('button', { name: en.users.set_password }).click();
  const form = page.locator('form', { has: page.locator('#reset-title') });
  await expect(form.getByRole('heading')).toContainText('Lucas Ma');
  await form.getByLabel(en.account.new).fill('reviewer4 secret');
  await form.getByRole('button', { name: en.users.save_password }).click();
  await expect(page.locator('.alert-ok')).toContainText('Lucas Ma');

  const own = await (await browser.newContext()).newPage();
  await signIn(own, info, 'reviewer4', 'reviewer4 secret');
  await own.getByRole('link', { name: 'Lucas Ma' }).click();
  await expect(own).toHaveURL(/\/account$/);
  await expect(own.getByRole('heading', { level: 1 })).toHaveText(en.account.title);
  await own.getByLabel(en.account.current).fill('not it');
  await own.getByLabel(en.account.new, { exact: true }).fill('newest secret');
  await own.getByLabel(en.account.repeat).fill('newest secret');
  await own.getByRole('button', { name: en.account.save }).click();
  await expect(own.getByRole('alert')).toContainText(en.error.wrong_password);
  await own.getByLabel(en.account.repeat).fill('something else');
  await own.getByRole('button', { name: en.account.save }).click();
  await expect(own.getByRole('alert')).toContainText(en.account.mismatch);
  await own.getByLabel(en.account.current).fill('reviewer4 secret');
  await own.getByLabel(en.account.repeat).fill('newest secret');
  await own.getByRole('button', { name: en.account.save }).click();
  await expect(own.locator('.alert-ok')).toContainText(en.account.saved);
  await expectAccessible(own);
  // This device stays signed in; the new password is the one that works from now on.
  await own.reload();
  await expect(own.getByRole('heading', { level: 1 })).toHaveText(en.account.title);
  await own.getByRole('button', { name: en.shell.sign_out }).click();
  await signIn(own, info, 'reviewer4', 'newest secret');
  await useLanguage(own, 'zh-CN');
  await own.goto('/account');
  await expect(own.getByRole('heading', { level: 1 })).toHaveText(zh.account.title);
  await expectAccessible(own);
});

test('the account page in the static demo says there is no password to change', async ({ page }, info) => {
  test.skip(!isStatic(info), 'the server has passwords');
  await signIn(page, info, 'agent1');
  await page.goto('/account');
  await expect(page.getByText(en.account.demo_note)).toBeVisible();
  await expectAccessible(page);
});

test('a signed-out visit logs no error and fails no request', async ({ page }, info) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
  });
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  if (!isStatic(info)) {
    // The demo server says its accounts share a password; a real installation would not.
    await expect(page.getByText(en.signin.demo_hint)).toBeVisible();
  }
  await useLanguage(page, 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(problems).toEqual([]);
});
