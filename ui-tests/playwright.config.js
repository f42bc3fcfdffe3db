/**
 * Galata configuration: Debian's chromium, no video (it would need Playwright's own ffmpeg).
 */
const chromiumLaunch = require('./chromium');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const port = process.env.UI_TESTS_PORT || '8888';

module.exports = {
  ...baseConfig,
  // hub/ holds the JupyterHub journey, run by pytest with hub.config.js
  testDir: './tests',
  // the metadata journey needs its own environments: metadata.config.js runs it
  testIgnore: ['**/metadata.spec.ts'],
  timeout: 120000,
  globalSetup: [
    './setup/data.ts',
    './setup/store.ts',
    './setup/deploy.ts',
    './setup/workflows.ts'
  ],
  retries: 0,
  workers: 1,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    video: 'off',
    trace: 'off',
    launchOptions: chromiumLaunch
  },
  webServer: {
    command: 'npm start',
    url: `http://localhost:${port}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: false
  }
};
