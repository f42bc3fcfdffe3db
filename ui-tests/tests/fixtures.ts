import { expect, IJupyterLabPage, test as base } from '@jupyterlab/galata';
import { Page } from '@playwright/test';

/** How long JupyterLab may take to start on a loaded 2-core CI machine. */
const START_TIMEOUT = 90000;

/**
 * Galata's `test` with a start-up wait that tolerates slow machines: Galata's own
 * waits 15 s for the Launcher, which a busy 2-core CI machine can exceed.
 */
export const test = base.extend({
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
  }
});

export { expect };
