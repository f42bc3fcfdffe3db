import {
  expect as baseExpect,
  IJupyterLabPageFixture
} from '@jupyterlab/galata';
import { existsSync } from 'fs';

import { SAMPLES } from '../setup/data';
import { openDataPanel } from './dataPanel';
import { test } from './fixtures';

/**
 * The Data panel against a real local SDMX provider serving ../shared/sdmx-samples
 * (started by ui-tests/setup/data.ts, configured as SDMX_TEST and SDMX_SLOW).
 */
const KEY = 'M.USD+JPY.EUR.SP00.A';

// Every step waits on the server and the provider; other suites may share the 2 cores.
const expect = baseExpect.configure({ timeout: 30000 });

test.skip(!existsSync(SAMPLES), `The SDMX samples are not at ${SAMPLES}.`);

/** The Data panel, with the sidebar widened so the grid and chart have room. */
function openPanel(page: IJupyterLabPageFixture) {
  return openDataPanel(page, 460);
}

async function chooseFlow(page: IJupyterLabPageFixture, source: string) {
  const panel = await openPanel(page);
  await panel.locator('#jp-DataOps-source').selectOption(source);
  await panel.locator('#jp-DataOps-flowSearch').fill('exch');
  await expect(panel.locator('.jp-DataOps-flowRow')).toHaveCount(1);
  await panel.locator('.jp-DataOps-flowRow[data-flow="EXR"]').click();
  await expect(panel.locator('.jp-DataOps-flowTitle')).toContainText(
    'Exchange Rates'
  );
  return panel;
}

test.use({ viewport: { width: 1280, height: 1000 } });

test('pick source, flow and codes, preview, then insert and run the code', async ({
  page
}) => {
  const panel = await openPanel(page);
  await expect(panel.locator('.jp-DataOps-status')).toHaveText(
    '8 data sources configured'
  );
  await panel.locator('#jp-DataOps-source').selectOption('SDMX_TEST');
  await expect(panel.locator('.jp-DataOps-reach')).toContainText(
    'Reachable (HTTP '
  );
  await expect(panel.locator('.jp-DataOps-flowRow')).toHaveCount(2);
  await page.screenshot({ path: 'screenshots/data-source.png' });

  await panel.locator('#jp-DataOps-flowSearch').fill('exch');
  await expect(panel.locator('.jp-DataOps-flowRow')).toHaveCount(1);
  await panel.locator('.jp-DataOps-flowRow[data-flow="EXR"]').click();
  const dims = panel.locator('.jp-DataOps-dimension');
  await expect(dims).toHaveCount(5);
  expect(
    await dims.evaluateAll(els =>
      els.map(e => e.getAttribute('data-dimension'))
    )
  ).toEqual(['FREQ', 'CURRENCY', 'CURRENCY_DENOM', 'EXR_TYPE', 'EXR_SUFFIX']);

  // Cascading: the provider has data for one currency only.
  const currency = panel.locator(
    '.jp-DataOps-dimension[data-dimension="CURRENCY"]'
  );
  await expect(currency.locator('.jp-DataOps-dimensionCount')).toContainText(
    /^1 of \d+ with data/
  );
  await currency.locator('summary').click();
  await currency.locator('[data-code="USD"] input').check();
  await panel.getByLabel('Show codes without data').check();
  await currency.getByPlaceholder('Filter codes').fill('yen');
  await currency.locator('[data-code="JPY"] input').check();
  await expect(panel.locator('#jp-DataOps-key')).toHaveValue('.USD+JPY...');
  await page.screenshot({ path: 'screenshots/data-codes.png' });

  // Typing a key sets the choices.
  await panel.locator('#jp-DataOps-key').fill(KEY);
  const freq = panel.locator('.jp-DataOps-dimension[data-dimension="FREQ"]');
  await expect(freq.locator('.jp-DataOps-dimensionCount')).toContainText(
    'M chosen'
  );
  await expect(currency.locator('.jp-DataOps-dimensionCount')).toContainText(
    'USD+JPY chosen'
  );
  await expect(panel.locator('.jp-DataOps-sectionHead')).toContainText(
    '1 series match'
  );

  await panel.getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(panel.locator('.jp-DataOps-counts')).toHaveText(
    /^252 observations in 1 series/
  );
  await expect(panel.locator('.jp-DataOps-queryUrl code')).toContainText(
    `/ecb/data/EXR/${KEY}`
  );
  await expect(
    panel.locator('.jp-DataOps-gridHost canvas').first()
  ).toBeVisible();
  await expect(
    panel
      .locator(
        '.jp-DataOps-chart[data-renderer="vega-lite"] svg, .jp-DataOps-chart canvas'
      )
      .first()
  ).toBeVisible();
  const code = panel.locator('.jp-DataOps-codeBlock');
  await expect(code).toContainText(
    `dataops.read("SDMX_TEST", "EXR", key="${KEY}")`
  );
  const insert = panel.getByRole('button', { name: 'Insert and run' });
  await expect(insert).toBeDisabled();
  await expect(panel.locator('.jp-DataOps-codeActions')).toContainText(
    'Open a notebook first'
  );
  await panel.locator('.jp-DataOps-chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/data-preview.png' });

  // The choices survive a reload.
  await page.reload();
  await page.waitForSelector('#jupyterlab-splash', { state: 'detached' });
  const again = await openPanel(page);
  await expect(again.locator('#jp-DataOps-key')).toHaveValue(KEY);
  await expect(again.locator('#jp-DataOps-source')).toHaveValue('SDMX_TEST');

  await page.notebook.createNew('data.ipynb');
  await openPanel(page);
  await expect(again.locator('.jp-DataOps-codeActions')).toContainText(
    'Target notebook: data.ipynb'
  );
  await again.getByRole('button', { name: 'Insert and run' }).click();
  const output = page.locator('.jp-NotebookPanel .jp-OutputArea-output').last();
  await expect(output).toContainText('252 rows', { timeout: 60000 });
  expect(await page.notebook.getCellTextInput(1)).toContain(`key="${KEY}"`);
  await page.screenshot({ path: 'screenshots/data-notebook.png' });
});

test('at the default sidebar width the Source, key hint and period fields show whole', async ({
  page
}) => {
  await page.sidebar.openTab('jp-dataops-data');
  const panel = page.locator('#jp-dataops-data');
  await expect(panel).toBeVisible();
  const source = panel.locator('#jp-DataOps-source');
  await source.selectOption('SDMX_TEST');
  await panel.locator('#jp-DataOps-flowSearch').fill('exch');
  await panel.locator('.jp-DataOps-flowRow[data-flow="EXR"]').click();
  const hint = panel.locator('#jp-DataOps-keyHelp');
  await expect(hint).toContainText('FREQ.CURRENCY.CURRENCY_DENOM');
  // the dropdown's text stops before its arrow, and the dropdown before the refresh button
  const layout = await source.evaluate(select => {
    const row = select.closest('.jp-DataOps-row')!;
    const refresh = row.querySelector('.jp-Button')!.getBoundingClientRect();
    const box = select.getBoundingClientRect();
    const css = getComputedStyle(select);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${css.fontSize} ${css.fontFamily}`;
    const text = (select as HTMLSelectElement).selectedOptions[0].text;
    return {
      textRoom:
        box.width - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight),
      textWidth: ctx.measureText(text).width,
      paddingRight: parseFloat(css.paddingRight),
      gap: refresh.left - box.right,
      ellipsis: css.textOverflow
    };
  });
  expect(layout.paddingRight).toBeGreaterThanOrEqual(24);
  expect(layout.gap).toBeGreaterThanOrEqual(0);
  expect(
    layout.textWidth <= layout.textRoom || layout.ellipsis === 'ellipsis'
  ).toBe(true);
  // the series-key hint wraps inside the panel instead of being cut
  const cut = await hint.evaluate(el => {
    const panelBox = el.closest('#jp-dataops-data')!.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return el.scrollWidth > el.clientWidth || box.right > panelBox.right;
  });
  expect(cut).toBe(false);
  // the period fields show examples, in the placeholder style, not values
  const from = panel.getByLabel('Start period');
  await expect(from).toHaveValue('');
  await expect(from).toHaveAttribute('placeholder', 'e.g. 2020-01');
  await expect(panel.getByLabel('End period')).toHaveAttribute(
    'placeholder',
    'e.g. 2024-12'
  );
  const colours = await from.evaluate(input => ({
    placeholder: getComputedStyle(input, '::placeholder').color,
    placeholderStyle: getComputedStyle(input, '::placeholder').fontStyle,
    text: getComputedStyle(input).color
  }));
  expect(colours.placeholder).not.toBe(colours.text);
  expect(colours.placeholderStyle).toBe('italic');
  // and the examples are not cut
  for (const field of [from, panel.getByLabel('End period')]) {
    const fits = await field.evaluate(input => {
      const css = getComputedStyle(input, '::placeholder');
      const own = getComputedStyle(input);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${css.fontStyle} ${css.fontSize} ${css.fontFamily}`;
      const room =
        input.clientWidth -
        parseFloat(own.paddingLeft) -
        parseFloat(own.paddingRight);
      return (
        ctx.measureText((input as HTMLInputElement).placeholder).width <= room
      );
    });
    expect(fits).toBe(true);
  }
  await panel.screenshot({ path: 'screenshots/data-default-width.png' });
});

test('a query without data shows the provider reason inline with a retry', async ({
  page
}) => {
  const panel = await chooseFlow(page, 'SDMX_TEST');
  await panel.locator('#jp-DataOps-key').fill('D.USD.EUR.SP00.A');
  await expect(panel.locator('.jp-DataOps-sectionHead')).toContainText(
    '0 series match'
  );
  await panel.getByRole('button', { name: 'Preview', exact: true }).click();
  const alert = panel.locator('.jp-DataOps-error[data-code="no_data"]');
  await expect(alert).toContainText('No data for this selection');
  await expect(alert).toContainText('No Results Found');
  await expect(alert.getByRole('button', { name: 'Retry' })).toBeVisible();
  await panel.locator('#jp-DataOps-key').fill('D.USD.EUR.SP00');
  await expect(
    panel.locator('.jp-DataOps-keyEditor [role="alert"]')
  ).toContainText('The key has 4 positions but this dataflow has 5 dimensions');
  await alert.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/data-error.png' });
});

test('a slow preview shows progress and can be cancelled', async ({ page }) => {
  const panel = await chooseFlow(page, 'SDMX_SLOW');
  await panel.locator('#jp-DataOps-key').fill('M.USD.EUR.SP00.A');
  await panel.getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(panel.locator('.jp-DataOps-progress')).toContainText(
    'Waiting for the provider'
  );
  await page.screenshot({ path: 'screenshots/data-progress.png' });
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await expect(panel.locator('.jp-DataOps-preview')).toContainText(
    'Preview cancelled.'
  );
  await expect(panel.locator('.jp-DataOps-progress')).toHaveCount(0);
});

/** The colours a user sees on `selector`: its text colour and the first opaque background
 * behind it, each with its relative luminance (0 black … 1 white). */
async function seenColours(page: IJupyterLabPageFixture, selector: string) {
  return page.locator(selector).evaluate(el => {
    const luminance = (css: string) => {
      const [r, g, b] = (css.match(/[\d.]+/g) ?? ['0', '0', '0'])
        .slice(0, 3)
        .map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    let node: Element | null = el;
    let background = 'rgba(0, 0, 0, 0)';
    while (node) {
      const bg = getComputedStyle(node).backgroundColor;
      if (bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) {
        background = bg;
        break;
      }
      node = node.parentElement;
    }
    const color = getComputedStyle(el).color;
    return {
      color,
      background,
      colorLuminance: luminance(color),
      backgroundLuminance: luminance(background)
    };
  });
}

test('the panel follows the dark theme', async ({ page }) => {
  const panel = await chooseFlow(page, 'SDMX_TEST');
  const title = '#jp-dataops-data .jp-DataOps-flowTitle';
  const light = await seenColours(page, title);
  expect(light.backgroundLuminance).toBeGreaterThan(0.7);
  await page.theme.setDarkTheme();
  // the same element, now light text on a dark background
  await expect
    .poll(async () => (await seenColours(page, title)).backgroundLuminance)
    .toBeLessThan(0.3);
  const dark = await seenColours(page, title);
  expect(dark.background).not.toBe(light.background);
  expect(dark.color).not.toBe(light.color);
  expect(dark.colorLuminance).toBeGreaterThan(dark.backgroundLuminance + 0.4);
  await panel.locator('#jp-DataOps-key').fill('M.USD.EUR.SP00.A');
  await panel.getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(panel.locator('.jp-DataOps-counts')).toContainText(
    '252 observations'
  );
  await expect(
    panel.locator('.jp-DataOps-chart svg, .jp-DataOps-chart canvas').first()
  ).toBeVisible();
  await panel.locator('.jp-DataOps-chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/data-dark.png' });
});

test('a preview of 200,000 observations keeps the panel responsive (benchmark, reported)', async ({
  page
}) => {
  const panel = await chooseFlow(page, 'SDMX_BIG');
  await panel.locator('#jp-DataOps-key').fill('D....');
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as any).__dataopsLongTasks = seen;
    new PerformanceObserver(list => {
      for (const entry of list.getEntries()) {
        seen.push(entry.duration);
      }
    }).observe({ type: 'longtask' });
  });
  const started = Date.now();
  await panel.getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(panel.locator('.jp-DataOps-counts')).toHaveText(
    /^200,000 observations in 50 series/,
    { timeout: 120000 }
  );
  const tableShownMs = Date.now() - started;
  await expect(
    panel.locator('.jp-DataOps-chart svg, .jp-DataOps-chart canvas').first()
  ).toBeVisible({ timeout: 120000 });
  const chartShownMs = Date.now() - started;
  // A keystroke right after the preview must still echo promptly.
  const typed = Date.now();
  await panel.locator('#jp-DataOps-flowSearch').fill('exchange');
  await expect(panel.locator('#jp-DataOps-flowSearch')).toHaveValue('exchange');
  const keystrokeMs = Date.now() - typed;
  const longTasks: number[] = await page.evaluate(
    () => (window as any).__dataopsLongTasks
  );
  const report = {
    observations: 200000,
    tableShownMs,
    chartShownMs,
    keystrokeMs,
    longTasks: longTasks.length,
    longestTaskMs: Math.round(Math.max(0, ...longTasks)),
    blockedMs: Math.round(longTasks.reduce((a, b) => a + b, 0))
  };
  console.log(`Data panel preview benchmark: ${JSON.stringify(report)}`);
  test.info().annotations.push({
    type: 'benchmark',
    description: JSON.stringify(report)
  });
  await panel.locator('.jp-DataOps-chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/data-large.png' });
});
