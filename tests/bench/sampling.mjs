// Runs the sampling and import-preview benchmarks compiled to wasm (crates/bench-wasm) inside the system Chromium and
// prints its lines. Usage: node tests/bench/sampling.mjs DIR, DIR holding wasm-bindgen's output.
import { chromium } from '@playwright/test';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const dir = path.resolve(process.argv[2]);
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const page = `<!doctype html><title>sampling bench</title><script type="module">
import init, { sample_million, import_preview } from './kappa_bench_wasm.js';
await init();
window.result = sample_million() + '\\n' + import_preview();
</script>`;
const server = http.createServer((req, res) => {
  if (req.url === '/') return res.end(page);
  const file = path.join(dir, path.basename(req.url));
  if (!fs.existsSync(file)) { res.statusCode = 404; return res.end(); }
  res.setHeader('content-type', types[path.extname(file)] ?? 'application/octet-stream');
  fs.createReadStream(file).pipe(res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => window.result, null, { timeout: 300_000 });
  console.log(await tab.evaluate(() => window.result));
} finally {
  await browser.close();
  server.close();
}
