/**
 * Playwright configuration of the hub journey (ui-tests/hub/): a real JupyterHub started by the
 * pytest harness (tests/hub/test_browser_journey.py), which passes its URL and shared password in
 * DATAOPS_HUB_URL and DATAOPS_HUB_PASSWORD. No webServer and no globalSetup: the hub is already up.
 */
const chromiumLaunch = require('./chromium');
const hubUrl = process.env.DATAOPS_HUB_URL;
if (!hubUrl) {
  throw new Error(
    'DATAOPS_HUB_URL is not set: run this journey through pytest tests/hub/test_browser_journey.py'
  );
}

module.exports = {
  testDir: './hub',
  timeout: 240000,
  expect: { timeout: 30000 },
  retries: 0,
  workers: 1,
  outputDir: 'test-results/hub',
  reporter: [['list']],
  use: {
    baseURL: hubUrl,
    viewport: { width: 1280, height: 800 },
    video: 'off',
    trace: 'off',
    launchOptions: chromiumLaunch
  }
};
