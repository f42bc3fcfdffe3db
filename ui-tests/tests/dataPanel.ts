import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

/**
 * Opens the Data panel and widens the sidebar, as a user would, so its right edge stands at
 * least near `width` pixels (a sidebar already past `width - 60` is left as it is); returns the panel.
 */
export async function openDataPanel(
  page: IJupyterLabPageFixture,
  width: number
): Promise<Locator> {
  await page.sidebar.openTab('jp-dataops-data');
  const panel = page.locator('#jp-dataops-data');
  // The server and its sources answer slowly when other suites share the 2 cores.
  await expect(panel).toBeVisible({ timeout: 30000 });
  const handle = page
    .locator('#jp-main-split-panel > .lm-SplitPanel-handle')
    .first();
  const box = await handle.boundingBox();
  if (box && box.x < width - 60) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(width, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
  }
  return panel;
}
