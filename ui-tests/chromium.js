/**
 * How every Playwright configuration here launches the browser: Debian's chromium (Playwright never
 * downloads one on this machine), quiet, without a sandbox (the tests run as root).
 */
module.exports = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync'
  ]
};
