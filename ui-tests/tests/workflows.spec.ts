/**
 * The Workflows panel against the real engine and workers started by setup/workflows.ts.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, test } from './fixtures';
import { Locator } from '@playwright/test';
import { readFileSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';

import { CALENDAR_OPEN } from '../setup/workflows';

const PANEL = '#jp-dataops-workflows';
const PROCESSES = path.resolve(__dirname, '..', '..', 'processes');

test.describe.configure({ mode: 'serial' });
test.use({ autoGoto: true });

async function openPanel(page: IJupyterLabPageFixture): Promise<Locator> {
  const panel = page.locator(PANEL);
  if (!(await panel.isVisible())) {
    await page.locator('.jp-SideBar [data-id="jp-dataops-workflows"]').click();
  }
  await expect(panel.locator('.jp-DataOps-wf-definition').first()).toBeVisible({
    timeout: 30000
  });
  return panel;
}

/** Start `key` from the panel with `businessKey`; returns the run view that opens. */
async function startFromPanel(
  page: IJupyterLabPageFixture,
  key: string,
  businessKey: string,
  fill?: (dialog: Locator) => Promise<void>
): Promise<Locator> {
  const panel = await openPanel(page);
  await panel
    .locator(
      `.jp-DataOps-wf-definition[data-key="${key}"] .jp-DataOps-wf-start`
    )
    .click();
  const dialog = page.locator('.jp-DataOps-wf-startDialog');
  await expect(dialog).toBeVisible();
  await fill?.(dialog);
  await dialog.locator('#jp-DataOps-wf-start-business-key').fill(businessKey);
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog).toBeHidden();
  const view = page.locator('.jp-DataOps-wf-runView:visible');
  await expect(view.locator('.jp-DataOps-wf-runHeader')).toContainText(
    `Business key ${businessKey}`,
    { timeout: 30000 }
  );
  return view;
}

const shape = (view: Locator, id: string) =>
  view.locator(`g.djs-element[data-element-id="${id}"]`);
const fileItem = (page: IJupyterLabPageFixture, name: string) =>
  page.locator('.jp-DirListing-item', {
    has: page.locator('.jp-DirListing-itemText', { hasText: name })
  });
async function refreshFiles(page: IJupyterLabPageFixture, expected: string) {
  await page.getByRole('button', { name: 'Refresh the file browser.' }).click();
  await expect(fileItem(page, expected)).toBeVisible();
}
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}`;

test('start the happy path from the panel, follow its log live, see the diagram turn completed', async ({
  page
}) => {
  const businessKey = unique('EXR');
  const view = await startFromPanel(
    page,
    'sdmx_production',
    businessKey,
    async dialog => {
      const flow = dialog.locator('#jp-DataOps-wf-start-flow');
      await expect(flow).toHaveValue('EXR');
      await expect(
        dialog.locator('#jp-DataOps-wf-start-frequency')
      ).toHaveValue('M');
      // An empty required field keeps the dialog open and says why, under the field.
      await flow.fill('');
      await dialog.getByRole('button', { name: 'Start' }).click();
      await expect(
        dialog.locator('[data-field="flow"] .jp-DataOps-wf-fieldError')
      ).toHaveText('This field is required.');
      await dialog.screenshot({
        path: 'screenshots/workflows-start-dialog.png'
      });
      await flow.fill('EXR');
    }
  );
  const log = view.locator('.jp-DataOps-wf-logLines');
  await expect(log).toContainText('fetching EXR for 2026-10', {
    timeout: 30000
  });
  await expect(view).toHaveAttribute('data-status', 'running');
  await expect(view.locator('.jp-DataOps-wf-connection')).toHaveText('Live');
  await page.screenshot({ path: 'screenshots/workflows-run-live.png' });

  await expect(view).toHaveAttribute('data-status', 'completed', {
    timeout: 60000
  });
  // The whole log, in order, with the ANSI-coloured line rendered in colour.
  await expect(log).toContainText('disseminating EXR', { timeout: 10000 });
  await expect(
    view.locator('.ansi-green-fg', { hasText: 'report ready' })
  ).toBeVisible();
  for (const id of [
    'fetch',
    'validate',
    'aggregate',
    'report',
    'disseminate',
    'end'
  ]) {
    await expect(shape(view, id)).toHaveClass(/jp-DataOps-wf-bpmn-completed/, {
      timeout: 10000
    });
  }
  await expect(shape(view, 'quarantine')).not.toHaveClass(
    /jp-DataOps-wf-bpmn-/
  );
  // Hidden behind another tab and shown again, the diagram is still drawn at a finite scale
  // (bpmn-js fitting the hidden, sizeless canvas threw an uncaught TypeError: the fixture's
  // noPageErrors fails the test on it)
  const runTab = page.locator('.jp-MainAreaWidget:has(.jp-DataOps-wf-runView)');
  const runTabId = await runTab.getAttribute('id');
  await page.evaluate(async () => {
    await (window as any).jupyterapp.commands.execute('launcher:create');
  });
  await expect(runTab).toBeHidden();
  await page.waitForTimeout(500);
  await page.evaluate(id => {
    (window as any).jupyterapp.shell.activateById(id);
  }, runTabId);
  await expect(shape(view, 'fetch')).toBeVisible();
  const transform = await view
    .locator('.djs-container svg g.viewport')
    .getAttribute('transform');
  expect(transform).toMatch(/^matrix\([-\d.e, ]+\)$/);
  await expect(
    view.locator('.jp-DataOps-wf-timeline li[data-activity="fetch"]')
  ).toHaveAttribute('data-state', 'completed');
  // The sample reads the one real USD/EUR series of SAMPLES from 2019-01 to its end, 2019-12.
  await expect(view.locator('tr[data-variable="rows"] td')).toHaveText('12');
  // The vintage the run wrote: a button to the Data panel and the SDMX REST address serving it.
  const vintage = view.locator('.jp-DataOps-wf-vintage');
  // (The tests' workers write the production's aggregate to EXR_E5 of the server's store.)
  await expect(vintage).toContainText(
    /M\.E5\.EUR\.EN00\.A of EXR_E5 in STORE, vintage run [0-9a-f-]+/
  );
  const open = vintage.getByRole('button', { name: 'Open in the Data panel' });
  await expect(open).toBeVisible();
  await expect(vintage.locator('a.jp-DataOps-wf-vintageRest')).toHaveAttribute(
    'href',
    /\/dataops\/sdmx\/STORE\/data\/dataflow\/ECB\/EXR_E5\/1\.0\/M\.E5\.EUR\.EN00\.A\?asOf=\d{4}-\d\d-\d\dT/
  );
  // In the run view's side column at its default width, the button's label is one line and the
  // section is no wider than the column.
  const labelLines = await open.evaluate(el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top)))
      .size;
  });
  expect(labelLines).toBe(1);
  expect(await vintage.evaluate(el => el.scrollWidth <= el.clientWidth)).toBe(
    true
  );
  await vintage.screenshot({ path: 'screenshots/workflows-run-vintage.png' });

  // The button opens the Data panel on that vintage of the series, previewed.
  const tag = (await vintage.getAttribute('data-vintage'))!;
  await open.click();
  const data = page.locator('#jp-dataops-data');
  await expect(data).toBeVisible();
  await expect(data.locator('#jp-DataOps-source')).toHaveValue('STORE');
  await expect(data.locator('#jp-DataOps-key')).toHaveValue('M.E5.EUR.EN00.A');
  await expect(data.locator('#jp-DataOps-vintage')).toHaveValue(tag);
  await expect(data.locator('.jp-DataOps-vintageRead')).toContainText(
    `Vintage read: ${tag} (`,
    { timeout: 30000 }
  );
  await expect(
    data.locator('.jp-DataOps-previewResult .jp-DataOps-counts')
  ).toHaveText(/^12 observations in 1 series/);
  const code = data.locator('.jp-DataOps-codeBlock');
  await expect(code).toContainText('"EXR_E5",');
  await expect(code).toContainText(`as_of="${tag}"`);
  await page.evaluate(
    id => {
      (window as any).jupyterapp.shell.activateById(id);
    },
    await page
      .locator('.jp-MainAreaWidget:has(.jp-DataOps-wf-runView)')
      .getAttribute('id')
  );
  await expect(view.locator('.bjs-powered-by')).toBeVisible(); // bpmn.io's watermark stays

  // Level filter and search narrow the lines; the count says so. The engine's last events
  // ("Run completed") reach the log on the server's next poll, after the status: count once
  // the log is complete and no longer growing.
  const count = view.locator('.jp-DataOps-wf-logCount');
  await expect(log).toContainText('Run completed', { timeout: 10000 });
  const lines = async () => Number((await count.textContent())!.split(' ')[0]);
  let total = -1; // the first poll reads, each later one compares with the reading 1 s before
  await expect
    .poll(
      async () => {
        const before = total;
        total = await lines();
        return total === before;
      },
      { intervals: [1000], timeout: 15000 }
    )
    .toBe(true);
  expect(total).toBeGreaterThan(20);
  // SAMPLES holds USD alone: the aggregate warns that the other weighted currencies are missing.
  await view.getByLabel('Lowest level shown').selectOption('WARNING');
  await expect(count).toHaveText(`1 of ${total} lines`);
  await expect(log).toContainText(
    'JPY, GBP, CHF: no observations in the input'
  );
  await view.getByLabel('Lowest level shown').selectOption('DEBUG');
  await view.getByLabel('Search the log').fill('index 2019-');
  await expect(count).toHaveText(`3 of ${total} lines`);
  await view.getByLabel('Search the log').fill('');

  // My run ended: a notification says so, with a button to open it.
  await expect(
    page.locator('.jp-Notification-Toast-success', { hasText: businessKey })
  ).toBeVisible({
    timeout: 30000
  });
  await page.screenshot({ path: 'screenshots/workflows-run-completed.png' });

  const panel = await openPanel(page);
  await expect(
    panel.locator(
      `.jp-DataOps-wf-run:has-text("${businessKey}") .jp-DataOps-wf-chip`
    )
  ).toHaveText('Completed');
  await expect(
    panel.locator(
      '.jp-DataOps-wf-definition[data-key="sdmx_production"] .jp-DataOps-wf-chip'
    )
  ).toHaveText('Completed');
  await panel.screenshot({ path: 'screenshots/workflows-panel.png' });
});

test('the Workflows panel shows whole process names at the default sidebar width', async ({
  page
}) => {
  const panel = await openPanel(page);
  const names = panel.locator('.jp-DataOps-wf-definition .jp-DataOps-wf-name');
  expect(await names.count()).toBeGreaterThan(1);
  // none is cut: its text fits in its box (it wraps), and the key is there to tell alike ones apart
  const cut = await names.evaluateAll(els =>
    els
      .filter(
        el =>
          el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight
      )
      .map(el => el.textContent)
  );
  expect(cut).toEqual([]);
  await expect(
    panel.locator(
      '.jp-DataOps-wf-definition[data-key="sdmx_production"] .jp-DataOps-wf-meta'
    )
  ).toContainText('sdmx_production');
  await panel.screenshot({ path: 'screenshots/workflows-names.png' });
});

test('a failing step raises an incident; Details shows the traceback; Retry after the fix completes', async ({
  page
}) => {
  rmSync(CALENDAR_OPEN, { force: true });
  const businessKey = unique('CAL');
  const view = await startFromPanel(page, 'sdmx_failing_step', businessKey);
  await expect(view).toHaveAttribute('data-status', 'incident', {
    timeout: 60000
  });
  const incident = view.locator(
    '.jp-DataOps-wf-incidents li[data-state="open"]'
  );
  await expect(incident).toContainText(
    'publication calendar for EXR is closed',
    { timeout: 10000 }
  );
  await expect(shape(view, 'check_calendar')).toHaveClass(
    /jp-DataOps-wf-bpmn-failed/
  );
  await expect(view.locator('.jp-DataOps-wf-incidentBadge')).toHaveText('1');
  await expect(shape(view, 'fetch')).toHaveClass(
    /jp-DataOps-wf-bpmn-completed/
  );
  await expect(
    page.locator('.jp-Notification-Toast-error', { hasText: businessKey })
  ).toBeVisible({
    timeout: 30000
  });

  await incident.getByRole('button', { name: 'Details' }).click();
  await expect(incident.locator('.jp-DataOps-wf-details')).toContainText(
    'Traceback'
  );
  await expect(incident.locator('.jp-DataOps-wf-details')).toContainText(
    'RuntimeError'
  );
  await page.screenshot({ path: 'screenshots/workflows-run-incident.png' });

  writeFileSync(CALENDAR_OPEN, 'opened by the UI test\n'); // the configured fix
  await view
    .locator('.jp-DataOps-wf-runHeader')
    .getByRole('button', { name: 'Retry' })
    .click();
  await expect(page.getByText('1 step retried.')).toBeVisible();
  await expect(view).toHaveAttribute('data-status', 'completed', {
    timeout: 60000
  });
  await expect(view.locator('.jp-DataOps-wf-logLines')).toContainText(
    'release slot found'
  );
  await expect(shape(view, 'check_calendar')).toHaveClass(
    /jp-DataOps-wf-bpmn-completed/,
    {
      timeout: 10000
    }
  );
  await expect(view.locator('.jp-DataOps-wf-incidentBadge')).toHaveCount(0);
  await expect(
    view.locator('.jp-DataOps-wf-incidents li[data-state="resolved"]')
  ).toHaveCount(1);
  await page.screenshot({ path: 'screenshots/workflows-run-retried.png' });
});

test('cancel a long run after confirming', async ({ page }) => {
  const businessKey = unique('LONG');
  const view = await startFromPanel(page, 'sdmx_long_step', businessKey);
  await expect(view.locator('.jp-DataOps-wf-logLines')).toContainText(
    'years aggregated: 3 of 180',
    {
      timeout: 30000
    }
  );
  await expect(shape(view, 'aggregate_history')).toHaveClass(
    /jp-DataOps-wf-bpmn-running/
  );
  await view.getByRole('button', { name: 'Cancel run' }).click();
  const confirm = page.locator('.jp-Dialog');
  await expect(confirm).toContainText('Cancel this run?');
  await page.screenshot({ path: 'screenshots/workflows-cancel-confirm.png' });
  await confirm.getByRole('button', { name: 'Cancel run' }).click();
  await expect(view).toHaveAttribute('data-status', 'cancelled', {
    timeout: 30000
  });
  await expect(shape(view, 'aggregate_history')).toHaveClass(
    /jp-DataOps-wf-bpmn-cancelled/,
    {
      timeout: 10000
    }
  );
  await expect(view.getByRole('button', { name: 'Cancel run' })).toBeDisabled();
  await page.screenshot({ path: 'screenshots/workflows-run-cancelled.png' });
});

test('publish a .bpmn from the file browser: a new version, or the parse error with its line', async ({
  page,
  tmpPath
}) => {
  // A name of its own each time: the engine keeps the version of an unchanged file.
  const EDITED = unique('SDMX production, edited in JupyterLab');
  const original = readFileSync(
    path.join(PROCESSES, 'sdmx_failing_step.bpmn'),
    'utf-8'
  );
  const edited = original.replace(
    'name="SDMX production with a failing step"',
    `name="${EDITED}"`
  );
  await page.contents.uploadContent(edited, 'text', `${tmpPath}/edited.bpmn`);
  await page.contents.uploadContent(
    original.replace('</bpmn:process>', '</bpmn:proces>'),
    'text',
    `${tmpPath}/broken.bpmn`
  );
  // The file browser already shows tmpPath (Galata's autoGoto); make it list the new files.
  await refreshFiles(page, 'broken.bpmn');
  const panel = await openPanel(page);
  const definition = panel.locator(
    '.jp-DataOps-wf-definition[data-key="sdmx_failing_step"]'
  );
  const before = Number(
    /version (\d+)/.exec((await definition.textContent()) ?? '')![1]
  );
  await page.locator('.jp-SideBar [data-id="filebrowser"]').click();

  await fileItem(page, 'edited.bpmn').click({ button: 'right' });
  await page
    .getByRole('menuitem', { name: 'Publish to workflow engine' })
    .click();
  // The notification was "in progress" and became a success: match its text, not its class.
  const success = page.locator('.Toastify__toast', {
    hasText: `${EDITED} is now at version ${before + 1}`
  });
  await expect(success).toBeVisible({ timeout: 30000 });
  await page.screenshot({ path: 'screenshots/workflows-published.png' });
  await openPanel(page);
  await expect(definition).toContainText(EDITED, {
    timeout: 15000
  });
  await expect(definition).toContainText(`version ${before + 1}`);
  await page.locator('.jp-SideBar [data-id="filebrowser"]').click();

  await fileItem(page, 'broken.bpmn').click({ button: 'right' });
  await page
    .getByRole('menuitem', { name: 'Publish to workflow engine' })
    .click();
  const failure = page.locator('.Toastify__toast', {
    hasText: 'broken.bpmn was not published'
  });
  await expect(failure).toContainText(/line \d+/, { timeout: 30000 });
  await page.screenshot({ path: 'screenshots/workflows-publish-error.png' });

  // Non-BPMN files do not offer the command.
  await page.contents.uploadContent('x', 'text', `${tmpPath}/notes.txt`);
  await refreshFiles(page, 'notes.txt');
  await fileItem(page, 'notes.txt').click({ button: 'right' });
  await expect(
    page.getByRole('menuitem', { name: 'Open', exact: true })
  ).toBeVisible();
  await expect(
    page.getByRole('menuitem', { name: 'Publish to workflow engine' })
  ).toHaveCount(0);
});
