import { defineConfig } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';

// Each run starts from a fresh database file, seeded with the demo centre on first start.
const db = path.join(os.tmpdir(), `kappa-e2e-${process.pid}.db`);
const root = path.resolve(__dirname, '../..');

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
  ],
  webServer: [
    {
      command: `${root}/target/release/kappa-server --demo --addr 127.0.0.1:18080 --db ${db} --dist ${root}/dist --recordings ${root}/crates/demo/audio`,
      url: 'http://127.0.0.1:18080/api/health',
      timeout: 60_000,
      reuseExistingServer: false,
    },
    {
      command: `node ${root}/tests/e2e/static-server.mjs ${root}/dist 18081`,
      url: 'http://127.0.0.1:18081/config.json',
      timeout: 30_000,
      reuseExistingServer: false,
    },
  ],
});
