// A plain static file server, as GitHub Pages or any CDN behaves: files as they are (their
// precompressed twin when the browser accepts it, as such hosts compress), and 404.html (with
// status 404) for anything else. No API. With `--rewrite`, an address that names no file is
// answered with index.html and 200, as hosts with SPA rewrites do (Netlify, Vercel, nginx's
// try_files): the phone benchmarks need it, as Lighthouse refuses a page answered 404.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const [root, port] = [path.resolve(process.argv[2] ?? 'dist'), Number(process.argv[3] ?? 8081)];
const rewrite = process.argv.includes('--rewrite');
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.ogg': 'audio/ogg',
};

http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  let file = path.join(root, decodeURIComponent(url.pathname));
  if (!file.startsWith(root)) { res.writeHead(400); res.end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  let status = 200;
  if (!fs.existsSync(file)) {
    const named = path.extname(url.pathname) !== '';
    [file, status] = rewrite && !named ? [path.join(root, 'index.html'), 200] : [path.join(root, '404.html'), 404];
  }
  const headers = { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' };
  const accepts = req.headers['accept-encoding'] ?? '';
  for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']]) {
    if (accepts.includes(encoding) && fs.existsSync(file + suffix)) {
      headers['content-encoding'] = encoding;
      file += suffix;
      break;
    }
  }
  res.writeHead(status, headers);
  fs.createReadStream(file).pipe(res);
}).listen(port, '127.0.0.1', () => console.log(`static server on http://127.0.0.1:${port}/ serving ${root}`));
