import { expect as baseExpect } from '@jupyterlab/galata';
import { existsSync } from 'fs';

import { SAMPLES } from '../setup/data';
import { test } from './fixtures';

/**
 * A newcomer's first steps: the Launcher's DataOps section opens an example that reads real
 * SDMX data (the SAMPLES files source laid out by ui-tests/setup/data.ts) and charts it, and a
 * template creates a step module in the folder the user is in.
 */

// The kernel starts and reads the data on a 2-core machine shared with other suites.
const expect = baseExpect.configure({ timeout: 60000 });

test.describe('the Launcher DataOps section', () => {
  test.use({ autoGoto: true });

  test('opens the first example, which runs and charts the series it reads', async ({
    page,
    tmpPath
  }) => {
    test.skip(!existsSync(SAMPLES), `The SDMX samples are not at ${SAMPLES}.`);
    await page.filebrowser.openDirectory(tmpPath);
    const section = page.locator('.jp-Launcher-section', {
      has: page.locator('.jp-Launcher-sectionTitle', { hasText: 'DataOps' })
    });
    const card = section.locator('.jp-LauncherCard', {
      hasText: 'Read SDMX series into pandas and chart them'
    });
    await expect(card).toBeVisible();
    await card.click();

    await expect(
      page
        .locator('.jp-mod-current .jp-TabBar-tabLabel, li.jp-mod-current')
        .first()
    ).toContainText('01_read_and_chart.ipynb');
    await page.notebook.run();
    const chart = page.locator('.jp-OutputArea-output img').first();
    await expect(chart).toBeVisible();
    await expect(
      page.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
        {
          hasText: 'Error'
        }
      )
    ).toHaveCount(0);
    await chart.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'screenshots/guide-example-chart.png' });
  });

  test('creates a step module from its template, beside the files already there', async ({
    page,
    tmpPath
  }) => {
    await page.filebrowser.openDirectory(tmpPath);
    const card = page.locator('.jp-LauncherCard', { hasText: 'Step module' });
    await card.click();
    await expect(page.locator('.jp-FileEditor .cm-content')).toContainText(
      '@step("check")'
    );
    await page.filebrowser.openDirectory(tmpPath);
    expect(
      await page.filebrowser.contents.fileExists(`${tmpPath}/steps.py`)
    ).toBe(true);
    // a second one never replaces the first
    await page.menu.clickMenuItem('File>New>Step module…');
    await expect
      .poll(() => page.filebrowser.contents.fileExists(`${tmpPath}/steps-1.py`))
      .toBe(true);
  });

  test('offers a tour that opens each panel in turn and explains it', async ({
    page
  }) => {
    await page
      .locator('.jp-LauncherCard', { hasText: 'Take the DataOps tour' })
      .click();
    const box = page.locator('.jp-DataOps-tour');
    const stops = [
      ['Data', '#jp-dataops-data'],
      ['Workflows', '#jp-dataops-workflows'],
      ['Deploy', '#jp-dataops-deploy']
    ];
    for (const [index, [title, panel]] of stops.entries()) {
      await expect(box.locator('.jp-DataOps-tour-count')).toHaveText(
        `${index + 1} of 4`
      );
      await expect(box.locator('h3')).toHaveText(title);
      await expect(page.locator(panel)).toBeVisible();
      await expect(page.locator(panel)).toHaveClass(/jp-DataOps-tour-target/);
      if (index === 0) {
        await page.screenshot({ path: 'screenshots/guide-tour.png' });
      }
      await box.getByRole('button', { name: 'Next' }).click();
    }
    await expect(box.locator('h3')).toHaveText('Examples and templates');
    await box.getByRole('button', { name: 'Back' }).click();
    await expect(box.locator('h3')).toHaveText('Deploy');
    await box.getByRole('button', { name: 'Next' }).click();
    await box.getByRole('button', { name: 'Done' }).click();
    await expect(box).toHaveCount(0);
  });
});
