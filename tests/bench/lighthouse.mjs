// Lighthouse (mobile: emulated phone, simulated slow 4G and CPU) performance of sign-in and of the
// call library, against a release server with the demo centre. The call library is opened as a
// signed-in lead: the session cookie rides along as an extra header.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const base = process.argv[2];
const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'lead1', password: 'demo' }) });
if (!login.ok) throw new Error(`sign-in failed: ${login.status}`);
const cookie = login.headers.get('set-cookie').split(';')[0];

const chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
try {
  for (const [name, path, headers] of [['sign-in', '/signin', {}], ['call library', '/calls', { cookie }]]) {
    const result = await lighthouse(`${base}${path}`, { port: chrome.port, onlyCategories: ['performance'], extraHeaders: headers, logLevel: 'error' });
    const { categories, audits } = result.lhr;
    const ms = (id) => `${(audits[id].numericValue / 1000).toFixed(2)} s`;
    console.log(`lighthouse mobile ${name.padEnd(12)} performance ${categories.performance.score.toFixed(2)}  FCP ${ms('first-contentful-paint')}  LCP ${ms('largest-contentful-paint')}  TBT ${audits['total-blocking-time'].numericValue.toFixed(0)} ms  CLS ${audits['cumulative-layout-shift'].numericValue.toFixed(3)}`);
  }
} finally {
  await chrome.kill();
}
