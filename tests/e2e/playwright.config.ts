import { defineConfig } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';

// Each run starts from a fresh database file, seeded with the demo centre on first start.
const db = path.join(os.tmpdir(), `kappa-e2e-${process.pid}.db`);
const root = path.resolve(__dirname, '../..');
// A PostgreSQL database (empty) for the smoke subset tagged @postgres; `cargo xtask test` makes one.
const postgres = process.env.KAPPA_E2E_POSTGRES;
const server = (port: number, database: string) => ({
  command: `${root}/target/release/kappa-server --demo --addr 127.0.0.1:${port} ${database} --dist ${root}/dist --recordings ${root}/crates/demo/audio --imports ${path.join(os.tmpdir(), `kappa-e2e-imports-${process.pid}-${port}`)}`,
  url: `http://127.0.0.1:${port}/api/health`,
  timeout: 60_000,
  reuseExistingServer: false,
});

export default defineConfig({
  testDir: '.',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  reporter: [['list'], ['json', { outputFile: path.join(root, 'target/e2e-report.json') }]],
  outputDir: path.join(root, 'target/e2e-results'),
  use: {
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    },
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'server', use: { baseURL: 'http://127.0.0.1:18080' } },
    { name: 'static', use: { baseURL: 'http://127.0.0.1:18081' } },
    ...(postgres ? [{ name: 'postgres', grep: /@postgres/, use: { baseURL: 'http://127.0.0.1:18082' } }] : []),
  ],
  webServer: [
    server(18080, `--db ${db}`),
    {
      command: `node ${root}/tests/e2e/static-server.mjs ${root}/dist 18081`,
      url: 'http://127.0.0.1:18081/config.json',
      timeout: 30_000,
      reuseExistingServer: false,
    },
    ...(postgres ? [server(18082, `--database ${postgres}`)] : []),
  ],
});
