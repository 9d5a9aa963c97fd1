// Lighthouse (mobile: emulated phone, simulated slow 4G and 4× CPU) performance of sign-in and of
// the main pages, against a release server with the demo centre, each page opened as the person
// who uses it (the session cookie rides along as an extra header). Each page runs RUNS times
// (default 3) and the median is reported, with the LCP element and every task over 50 ms of the
// median run: issue #22 asks which element is the LCP and what blocks the main thread.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const base = process.argv[2];
const runs = Number(process.env.RUNS ?? 3);
const only = process.env.PAGES?.split(',');

async function cookieOf(username) {
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
  if (!login.ok) throw new Error(`sign-in of ${username} failed: ${login.status}`);
  return login.headers.get('set-cookie').split(';')[0];
}

// The review workspace of reviewer1's first open call.
async function firstOpenCall(cookie) {
  const queue = await (await fetch(`${base}/api/queue`, { headers: { cookie } })).json();
  const open = (queue.items ?? queue).find((item) => item.assignment.status === 'open');
  if (!open) throw new Error('reviewer1 has no open call to review');
  return open.call.id;
}

const reviewer = await cookieOf('reviewer1');
const pages = [
  ['sign-in', '/signin', null],
  ['calls', '/calls', await cookieOf('lead1')],
  ['queue', '/queue', reviewer],
  ['me', '/me', await cookieOf('agent1')],
  ['calibration', '/calibration', await cookieOf('lead2')],
  ['review', `/review/${await firstOpenCall(reviewer)}`, reviewer],
  ['scorecard', '/scorecards/1', await cookieOf('admin')],
].filter(([name]) => !only || only.includes(name));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
try {
  for (const [name, path, cookie] of pages) {
    const results = [];
    for (let i = 0; i < runs; i++) {
      const { lhr } = await lighthouse(`${base}${path}`, { port: chrome.port, onlyCategories: ['performance'], extraHeaders: cookie ? { cookie } : {}, logLevel: 'error' });
      results.push(lhr);
    }
    const scores = results.map((r) => r.categories.performance.score);
    const middle = results[scores.indexOf(median(scores))];
    const a = middle.audits;
    const s = (id) => `${(a[id].numericValue / 1000).toFixed(2)} s`;
    console.log(`lighthouse mobile ${name.padEnd(11)} performance ${median(scores).toFixed(2)} (runs ${scores.map((x) => x.toFixed(2)).join(', ')})  FCP ${s('first-contentful-paint')}  LCP ${s('largest-contentful-paint')}  TBT ${a['total-blocking-time'].numericValue.toFixed(0)} ms  CLS ${a['cumulative-layout-shift'].numericValue.toFixed(3)}  requests ${a['network-requests'].details.items.length}`);
    const lcp = a['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node;
    if (lcp) console.log(`  LCP element: ${lcp.nodeLabel?.slice(0, 80)} (${lcp.selector})`);
    for (const task of a['long-tasks']?.details?.items ?? []) {
      console.log(`  long task ${task.duration.toFixed(0)} ms at ${task.startTime.toFixed(0)} ms: ${String(task.url).replace(base, '')}`);
    }
  }
} finally {
  await chrome.kill();
}
