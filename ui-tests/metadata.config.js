/**
 * Galata configuration of the metadata editors' journey (tests/metadata.spec.ts): a server of its
 * own whose dataops configuration (dataops-metadata-config.toml) has one environment, "test", a
 * plain git repository laid out by setup/metadata.ts, and the metadata source serving its branch.
 * The main suite (playwright.config.js) keeps its own environments and leaves this spec out.
 */
const base = require('./playwright.config');

const port = process.env.UI_TESTS_METADATA_PORT || '8889';

module.exports = {
  ...base,
  testMatch: 'metadata.spec.ts',
  testIgnore: [],
  globalSetup: ['./setup/metadata.ts'],
  use: { ...base.use, baseURL: `http://localhost:${port}` },
  webServer: {
    ...base.webServer,
    command: `DATAOPS_SYSTEM_CONFIG="${__dirname}/dataops-metadata-config.toml" UI_TESTS_PORT=${port} npm start`,
    url: `http://localhost:${port}/lab`
  }
};
