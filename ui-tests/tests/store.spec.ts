import { expect as baseExpect } from '@jupyterlab/galata';
import { existsSync } from 'fs';

import { SAMPLES } from '../setup/data';
import { openDataPanel } from './dataPanel';
import { test } from './fixtures';

/**
 * The Data panel on a store source: the series store written by ui-tests/setup/store.ts holds
 * three vintages of the ECB's monthly USD/EUR rate ("2019-10 release" up to 2019-10, "2019-11
 * release" up to 2019-11, the latest, unnamed, up to 2019-12), each revising the months before.
 */
const KEY = 'M.USD.EUR.SP00.A';

// Every step waits on the server and the store; other suites may share the 2 cores.
const expect = baseExpect.configure({ timeout: 30000 });

test.skip(!existsSync(SAMPLES), `The SDMX samples are not at ${SAMPLES}.`);

test.use({ viewport: { width: 1280, height: 1100 } });

test('pick a named vintage, preview it, insert as_of, and see the revision triangle', async ({
  page
}) => {
  const panel = await openDataPanel(page, 560);

  await panel.locator('#jp-DataOps-source').selectOption('STORE');
  await expect(panel.locator('.jp-DataOps-reach')).toContainText(
    'Reachable (Catalog answers'
  );
  await panel.locator('#jp-DataOps-flowSearch').fill('exch');
  await panel.locator('.jp-DataOps-flowRow[data-flow="EXR"]').click();
  await panel.locator('#jp-DataOps-key').fill(KEY);

  // The picker: the latest by default, then the named vintages newest first, then a time.
  const picker = panel.locator('#jp-DataOps-vintage');
  await expect(picker).toBeEnabled();
  expect(
    await picker
      .locator('option')
      .evaluateAll(els => els.map(e => e.textContent))
  ).toEqual([
    'Latest',
    '2019-11 release',
    '2019-10 release',
    'At a date or time…'
  ]);
  await expect(panel.locator('.jp-DataOps-vintageInfo')).toContainText(
    '3 vintages; the latest:'
  );

  const preview = panel.getByRole('button', { name: 'Preview', exact: true });
  await preview.click();
  const counts = panel.locator('.jp-DataOps-previewResult .jp-DataOps-counts');
  await expect(counts).toHaveText(/^252 observations in 1 series/);
  await expect(panel.locator('.jp-DataOps-vintageRead')).toContainText(
    'Vintage read: unnamed'
  );
  const code = panel.locator('.jp-DataOps-codeBlock');
  await expect(code).toContainText(
    `dataops.read("STORE", "EXR", key="${KEY}")`
  );

  // A named vintage: the preview reads it, the code says so.
  await picker.selectOption('2019-10 release');
  await expect(panel.locator('.jp-DataOps-vintageInfo')).toContainText(
    'October release'
  );
  await preview.click();
  await expect(counts).toHaveText(/^250 observations in 1 series/);
  await expect(panel.locator('.jp-DataOps-vintageRead')).toContainText(
    'Vintage read: 2019-10 release'
  );
  await expect(code).toContainText(`as_of="2019-10 release"`);
  await panel.locator('.jp-DataOps-vintage').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/store-vintage.png' });

  // The Revisions view: three vintages overlaid, and the triangle, newest period first.
  await panel.getByRole('button', { name: 'Revisions', exact: true }).click();
  const triangle = panel.locator('table.jp-DataOps-triangle');
  await expect(triangle).toBeVisible();
  expect(
    await triangle
      .locator('thead th')
      .evaluateAll(els => els.map(e => e.textContent))
  ).toEqual([
    'TIME_PERIOD',
    '2019-10 release',
    '2019-11 release',
    expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
  ]);
  await expect(
    panel.locator('.jp-DataOps-revisionsResult .jp-DataOps-counts')
  ).toHaveText(`${KEY}: 252 periods in 3 vintages, 2 revised`);
  const rows = triangle.locator('tbody tr');
  await expect(rows.first().locator('th')).toHaveText('2019-12');
  const october = triangle.locator('tbody tr', {
    has: page.locator('th', { hasText: /^2019-10$/ })
  });
  expect(
    await october
      .locator('td')
      .evaluateAll(els => els.map(e => e.getAttribute('data-change')))
  ).toEqual(['same', 'revised', 'same']);
  const september = triangle.locator('tbody tr', {
    has: page.locator('th', { hasText: /^2019-09$/ })
  });
  expect(
    await september
      .locator('td')
      .evaluateAll(els => els.map(e => e.getAttribute('data-change')))
  ).toEqual(['same', 'same', 'revised']);
  await expect(
    panel
      .locator(
        '.jp-DataOps-revisions .jp-DataOps-chart[data-renderer="vega-lite"] svg, .jp-DataOps-revisions .jp-DataOps-chart canvas'
      )
      .first()
  ).toBeVisible();
  await panel.locator('.jp-DataOps-revisions').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/store-revisions.png' });

  // A time before the first vintage: the preview says so in the panel's error box.
  await picker.selectOption({ label: 'At a date or time…' });
  const at = panel.getByLabel('Vintage at a date or time');
  await at.fill('last week');
  await expect(panel.locator('.jp-DataOps-vintage [role="alert"]')).toHaveText(
    "'last week' is not a date or time: use 2026-11-30 or 2026-11-30T09:00:00Z."
  );
  await at.fill('1999-01-01');
  await expect(code).toContainText('as_of="1999-01-01"');
  await preview.click();
  const error = panel.locator(
    '.jp-DataOps-preview .jp-DataOps-error[data-code="unknown_vintage"]'
  );
  await expect(error).toBeVisible();
  await expect(error.locator('strong')).toHaveText('No such vintage');
  await expect(error.locator('p').first()).toContainText('1999-01-01');
});
