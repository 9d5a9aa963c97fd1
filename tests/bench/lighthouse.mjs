// Lighthouse (mobile: emulated phone, simulated slow 4G and 4× CPU) performance of sign-in and of
// the main pages, against a release server with the demo centre, each page opened as the person
// who uses it (the session cookie rides along as an extra header). With MODE=static, against a
// static build (tests/e2e/static-server.mjs --rewrite): the demo's session is put in the
// browser's storage first, and Lighthouse told to keep it (the HTTP cache is cleared instead). Each page runs RUNS times
// (default 3) and the median is reported, with every task over 50 ms of the median run. The LCP
// element is named by lcp.mjs: Lighthouse 12.2.3 cannot read it from this Chromium's trace.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import puppeteer from 'puppeteer-core';
import { mainPages, staticPages } from './pages.mjs';

const base = process.argv[2];
const runs = Number(process.env.RUNS ?? 3);
const staticMode = process.env.MODE === 'static';
const pages = staticMode ? await staticPages(base) : await mainPages(base);
const mode = staticMode ? 'static' : 'server';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
const browser = staticMode ? await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` }) : null;
try {
  for (const [name, path, session] of pages) {
    const results = [];
    for (let i = 0; i < runs; i++) {
      const flags = { port: chrome.port, onlyCategories: ['performance'], logLevel: 'error' };
      if (staticMode) {
        const page = await browser.newPage();
        await page.goto(`${base}/config.json`);
        await page.evaluate((id) => (id === null ? localStorage.removeItem('kappa.demo.session') : localStorage.setItem('kappa.demo.session', JSON.stringify(id))), session);
        await (await page.createCDPSession()).send('Network.clearBrowserCache');
        const { lhr } = await lighthouse(`${base}${path}`, { ...flags, disableStorageReset: true }, undefined, page);
        await page.close();
        results.push(lhr);
      } else {
        const { lhr } = await lighthouse(`${base}${path}`, { ...flags, extraHeaders: session ? { cookie: session } : {} });
        results.push(lhr);
      }
    }
    const scores = results.map((r) => r.categories.performance.score);
    const middle = results[scores.indexOf(median(scores))];
    const a = middle.audits;
    const s = (id) => `${(a[id].numericValue / 1000).toFixed(2)} s`;
    console.log(`lighthouse mobile ${mode} ${name.padEnd(11)} performance ${median(scores).toFixed(2)} (runs ${scores.map((x) => x.toFixed(2)).join(', ')})  FCP ${s('first-contentful-paint')}  LCP ${s('largest-contentful-paint')}  TBT ${a['total-blocking-time'].numericValue.toFixed(0)} ms  CLS ${a['cumulative-layout-shift'].numericValue.toFixed(3)}  requests ${a['network-requests'].details.items.length}`);
    for (const task of a['long-tasks']?.details?.items ?? []) {
      console.log(`  long task ${task.duration.toFixed(0)} ms at ${task.startTime.toFixed(0)} ms: ${String(task.url).replace(base, '')}`);
    }
  }
} finally {
  await browser?.disconnect();
  await chrome.kill();
}
