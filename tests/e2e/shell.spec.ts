import { expect, test, en, zh, expectAccessible, isStatic, signIn, useLanguage } from './helpers';

const navFor: Record<string, string[]> = {
  reviewer1: [en.nav.queue, en.nav.calls, en.nav.calibration],
  lead1: [en.nav.queue, en.nav.calls, en.nav.disputes, en.nav.sampling, en.nav.calibration, en.nav.coaching, en.nav.scorecards, en.nav.import],
  agent1: [en.nav.feedback],
  admin: [en.nav.queue, en.nav.calls, en.nav.disputes, en.nav.sampling, en.nav.calibration, en.nav.coaching, en.nav.feedback, en.nav.users, en.nav.scorecards, en.nav.vocabulary, en.nav.import],
};
const homeOf: Record<string, string> = { reviewer1: '/queue', lead1: '/queue', agent1: '/me', admin: '/queue' };

for (const [username, nav] of Object.entries(navFor)) {
  test(`${username} signs in, lands on their start page and sees their navigation`, async ({ page }, info) => {
    await signIn(page, info, username);
    await expect(page).toHaveURL(new RegExp(`${homeOf[username]}$`));
    const links = page.getByRole('navigation', { name: en.nav.label }).getByRole('link');
    await expect(links).toHaveText(nav);
    for (const label of nav) {
      await links.getByText(label, { exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.locator('.alert-error')).toHaveCount(0);
    }
  });
}

test('a wrong password gets one generic message and no session', async ({ page }, info) => {
  test.skip(isStatic(info), 'the static demo has no passwords');
  await page.goto('/signin');
  await page.getByLabel(en.signin.username).fill('admin');
  await page.getByLabel(en.signin.password).fill('wrong');
  await page.getByRole('button', { name: en.signin.submit }).click();
  await expect(page.getByRole('alert')).toContainText(en.error.invalid_credentials);
  await page.getByLabel(en.signin.username).fill('nobody');
  await page.getByLabel(en.signin.password).fill('demo');
  await page.getByRole('button', { name: en.signin.submit }).click();
  await expect(page.getByRole('alert')).toContainText(en.error.invalid_credentials);
  await expect(page).toHaveURL(/\/signin/);
});

test('the static build says plainly that its data is a demo kept in this browser', async ({ page }, info) => {
  await signIn(page, info, 'reviewer1');
  const banner = page.getByRole('complementary', { name: en.demo.label });
  if (isStatic(info)) await expect(banner).toContainText(en.demo.banner);
  else await expect(banner).toHaveCount(0);
});

test('pages a role may not open are guarded, and sign-in returns to the page asked for', async ({ page }, info) => {
  await page.goto('/calls?team=2');
  await expect(page).toHaveURL(/\/signin\?next=/);
  if (isStatic(info)) {
    await page.locator('.picker-item', { has: page.locator('.picker-login', { hasText: /^reviewer1$/ }) }).click();
  } else {
    await page.getByLabel(en.signin.username).fill('reviewer1');
    await page.getByLabel(en.signin.password).fill('demo');
    await page.getByRole('button', { name: en.signin.submit }).click();
  }
  await expect(page).toHaveURL(/\/calls\?team=2$/);
  await page.goto('/users');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.no_access.title);
});

test('the language choice switches every label and survives a reload', async ({ page }, info) => {
  await signIn(page, info, 'lead1');
  await useLanguage(page, 'zh-CN');
  const nav = page.getByRole('navigation', { name: zh.nav.label });
  await expect(nav.getByRole('link').first()).toHaveText(zh.nav.queue);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh.queue_page.title_all);
  await useLanguage(page, 'en');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.queue_page.title_all);
});

test('an unknown address shows the 404 page inside the app', async ({ page }, info) => {
  await signIn(page, info, 'reviewer1');
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.not_found.title);
  await page.getByRole('link', { name: en.not_found.home }).click();
  await expect(page).toHaveURL(/\/queue$/);
});

test('signing out ends the session', async ({ page }, info) => {
  await signIn(page, info, 'reviewer1');
  await page.getByRole('button', { name: en.shell.sign_out }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/calls');
  await expect(page).toHaveURL(/\/signin/);
});

test('the ? key opens the shortcut list and Escape closes it', async ({ page }, info) => {
  await signIn(page, info, 'reviewer1');
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: en.shortcuts.title });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: en.shortcuts.close })).toBeFocused();
  await expectAccessible(page);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});
