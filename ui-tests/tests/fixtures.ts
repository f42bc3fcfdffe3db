import { expect, IJupyterLabPage, test as base } from '@jupyterlab/galata';
import { Page } from '@playwright/test';

/** How long JupyterLab may take to start on a loaded 2-core CI machine. */
const START_TIMEOUT = 90000;

/**
 * Galata's `test` for every spec of this suite:
 * - a start-up wait that tolerates slow machines (Galata's own waits 15 s for the Launcher,
 *   which a busy 2-core CI machine can exceed);
 * - `noPageErrors`: a test fails when the page threw an uncaught error (a `pageerror`) at any
 *   point, even if everything it looked at was right.
 */
export const test = base.extend<{ noPageErrors: void }>({
  waitForApplication: async ({ baseURL }, use) => {
    await use(async (page: Page, helpers: IJupyterLabPage) => {
      await page
        .locator('#jupyterlab-splash')
        .waitFor({ state: 'detached', timeout: START_TIMEOUT });
      await helpers.waitForCondition(
        () => helpers.activity.isTabActive('Launcher'),
        START_TIMEOUT
      );
      if (!(await helpers.isInSimpleMode())) {
        await helpers.activity.activateTab('Launcher');
      }
    });
  },
  noPageErrors: [
    async ({ page }, use) => {
      const errors = collectPageErrors(page);
      await use();
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true }
  ]
});

/**
 * The uncaught errors (`pageerror`) of `page` from now on: the returned list grows as they
 * happen, so a test can assert it is still empty at its end.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', error => {
    errors.push(error.stack || String(error));
  });
  return errors;
}

export { expect };
