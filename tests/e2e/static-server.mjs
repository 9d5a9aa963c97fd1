// A plain static file server, as GitHub Pages or any CDN behaves: files as they are, and
// 404.html (with status 404) for anything else. No API, no rewriting.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const [root, port] = [path.resolve(process.argv[2] ?? 'dist'), Number(process.argv[3] ?? 8081)];
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
  if (!fs.existsSync(file)) { file = path.join(root, '404.html'); status = 404; }
  res.writeHead(status, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
}).listen(port, '127.0.0.1', () => console.log(`static server on http://127.0.0.1:${port}/ serving ${root}`));
