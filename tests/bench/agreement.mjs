// Krippendorff's α with a bootstrap 95 % interval on one matrix of 50 raters × 2,000 units, in
// one run: Kappa native, Kappa compiled to wasm in Chromium, and the reference from PyPI
// (`krippendorff`). The ratings are a 1–5 scale: each unit has a true level, each rater gives it
// 70 % of the time, else one level off, and leaves 10 % unrated.
// Usage: node tests/bench/agreement.mjs WASM_DIR PYTHON
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const [wasmDir, python] = process.argv.slice(2).map((p, i) => (i === 0 ? path.resolve(p) : p));
let state = 20261128n;
const next = () => {
  // xorshift64*, so every run rates alike.
  state ^= state >> 12n; state ^= (state << 25n) & 0xffffffffffffffffn; state ^= state >> 27n;
  return Number(((state * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn) >> 11n) / 2 ** 53;
};
const units = Array.from({ length: 2000 }, () => 1 + Math.floor(next() * 5));
const ratings = Array.from({ length: 50 }, () => units.map((truth) => {
  if (next() < 0.1) return null;
  if (next() < 0.7) return truth;
  return Math.min(5, Math.max(1, truth + (next() < 0.5 ? -1 : 1)));
}));
const file = path.resolve('target/bench-agreement.json');
fs.writeFileSync(file, JSON.stringify(ratings));
const rated = ratings.flat().filter((v) => v !== null).length;
console.log(`ratings: 50 raters × 2000 units, ${rated} values (${fs.statSync(file).size} bytes of JSON)`);

const native = execFileSync('cargo', ['run', '-q', '--release', '-p', 'kappa-bench-wasm', '--example', 'agreement', '--', file], { encoding: 'utf8' }).trim();
console.log(native);

const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const page = `<!doctype html><title>agreement bench</title><script type="module">
import init, { agreement } from './kappa_bench_wasm.js';
await init();
window.result = agreement(await (await fetch('./ratings.json')).text());
</script>`;
const server = http.createServer((req, res) => {
  if (req.url === '/') return res.end(page);
  const target = req.url === '/ratings.json' ? file : path.join(wasmDir, path.basename(req.url));
  if (!fs.existsSync(target)) { res.statusCode = 404; return res.end(); }
  res.setHeader('content-type', types[path.extname(target)] ?? 'application/octet-stream');
  fs.createReadStream(target).pipe(res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
let wasm;
try {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => window.result, null, { timeout: 600_000 });
  wasm = await tab.evaluate(() => window.result);
  console.log(wasm);
} finally {
  await browser.close();
  server.close();
}

const reference = JSON.parse(execFileSync(python, ['tests/bench/agreement.py', file], { encoding: 'utf8' }));
for (const [level, r] of Object.entries(reference.levels)) {
  console.log(`krippendorff ${reference.version} (PyPI, numpy), ${level}: α ${r.alpha.toFixed(9)} in ${r.ms.toFixed(1)} ms`);
}
const b = reference.bootstrap_ordinal;
console.log(`krippendorff (PyPI), ordinal, 1000 bootstrap draws of units (its own random draws): 95 % CI [${b.low.toFixed(4)}, ${b.high.toFixed(4)}] in ${b.ms.toFixed(0)} ms`);
// The three must give the same α to 1e-9 at every level.
const alphas = (text) => Object.fromEntries([...text.matchAll(/, (\w+): α ([0-9.-]+)/g)].map((m) => [m[1].toLowerCase(), Number(m[2])]));
const [fromNative, fromWasm] = [alphas(native), alphas(wasm)];
for (const [level, r] of Object.entries(reference.levels)) {
  for (const [where, mine] of [['native', fromNative[level]], ['wasm', fromWasm[level]]]) {
    if (!(Math.abs(mine - r.alpha) < 1e-9)) throw new Error(`${level}: Kappa ${where} says ${mine}, the reference ${r.alpha}`);
  }
}
console.log('Kappa (native and wasm) and the reference agree on α to 1e-9 at all four levels');
