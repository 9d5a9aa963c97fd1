// A cold load of each main page in Chromium with Lighthouse's mobile conditions applied by hand
// (4× CPU, 150 ms round trips, 1.6 Mbit/s down): which element is the Largest Contentful Paint,
// when it paints, and every task over 50 ms (the Long Tasks API). Lighthouse 12.2.3 cannot name
// the LCP element on this Chromium (its TraceElements gatherer fails on the trace), so this
// watches the page itself.
import { chromium } from '@playwright/test';
import { mainPages } from './pages.mjs';

const base = process.argv[2];
const pages = await mainPages(base);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const [name, path, cookie] of pages) {
    const context = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
    if (cookie) {
      const [name, value] = cookie.split('=');
      await context.addCookies([{ name, value, url: base }]);
    }
    await context.addInitScript(() => {
      window.__lcp = null;
      window.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const el = e.element;
          const label = el ? `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} "${(el.textContent || '').trim().slice(0, 50)}"` : '(removed)';
          window.__lcp = { at: e.startTime, size: e.size, label };
        }
      }).observe({ type: 'largest-contentful-paint', buffered: true });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__long.push([Math.round(e.startTime), Math.round(e.duration)]);
      }).observe({ type: 'longtask', buffered: true });
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
    let requests = 0;
    page.on('request', () => requests++);
    await page.goto(`${base}${path}`, { waitUntil: 'networkidle', timeout: 120_000 });
    await page.waitForTimeout(1500);
    // A click ends LCP; only then is the last candidate final.
    await page.mouse.click(2, 2);
    const { lcp, long } = await page.evaluate(() => ({ lcp: window.__lcp, long: window.__long }));
    const blocking = long.reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0);
    console.log(`${name.padEnd(11)} LCP ${(lcp.at / 1000).toFixed(2)} s  ${lcp.label}  requests ${requests}  long tasks ${long.length} (blocking ${blocking} ms): ${long.map(([at, d]) => `${d} ms@${at}`).join(', ')}`);
    await context.close();
  }
} finally {
  await browser.close();
}
