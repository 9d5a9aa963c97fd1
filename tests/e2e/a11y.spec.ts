import { expect, test, expectAccessible, signIn, useLanguage } from './helpers';

const pages: [string, string][] = [
  ['admin', '/queue'], ['admin', '/queue?show=all'], ['admin', '/sampling'], ['admin', '/sampling/1'], ['admin', '/calls'], ['admin', '/calls?team=2&complaint=yes'], ['admin', '/calibration'], ['admin', '/calibration/1'], ['admin', '/calibration/4'], ['admin', '/calibration/history'],
  ['admin', '/coaching'], ['admin', '/reports'], ['admin', '/users'], ['admin', '/scorecards'], ['admin', '/vocabulary'], ['admin', '/import'],
  ['admin', '/scorecards/1'], ['admin', '/scorecards/new'], ['admin', '/evaluations/12'], ['admin', '/disputes'], ['admin', '/disputes?view=all'], ['admin', '/calls/30'], ['admin', '/account'],
  ['agent1', '/me'], ['agent1', '/calls'], ['agent1', '/evaluations/10'], ['agent1', '/account'], ['reviewer1', '/queue'], ['reviewer1', '/queue?show=done'], ['reviewer1', '/review/30'], ['reviewer1', '/calibration'], ['reviewer1', '/calibration/6'], ['reviewer1', '/calibration/history'], ['reviewer1', '/no/such/page'],
];

for (const language of ['en', 'zh-CN'] as const) {
  test(`every page passes axe in ${language}`, async ({ page }, info) => {
    // Twenty-odd pages, each checked by axe, on a machine that runs two of these at once.
    test.setTimeout(300_000);
    await page.goto('/signin');
    await useLanguage(page, language);
    await expectAccessible(page);
    let user = '';
    for (const [who, path] of pages) {
      if (who !== user) {
        await page.context().clearCookies();
        await page.evaluate(() => localStorage.removeItem('kappa.demo.session'));
        await signIn(page, info, who);
        await useLanguage(page, language);
        user = who;
      }
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 }).or(page.getByRole('heading', { level: 2 })).first()).toBeVisible();
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      await expectAccessible(page);
    }
    await page.goto('/calls?queue=changes&size=200');
    await page.locator('tbody tr', { has: page.locator('.tag:not(.tag-danger)') }).first().getByRole('link').click();
    await expect(page.locator('.transcript')).toBeVisible();
    await expectAccessible(page);
  });
}
