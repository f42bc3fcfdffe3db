/**
 * An R step (examples/steps/summary.R) in the sample process sdmx_r_summary, started from the
 * Workflows panel: its log streams live while it runs, and its failure shows the R traceback.
 * The real engine and the workers of setup/workflows.ts serve it.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, test } from './fixtures';
import { Locator } from '@playwright/test';
import { readFileSync } from 'fs';
import * as path from 'path';

import { ENGINE_URL } from '../setup/workflows';

const PANEL = '#jp-dataops-workflows';
const KEY = 'sdmx_r_summary';
const BPMN = path.resolve(__dirname, '..', '..', 'processes', `${KEY}.bpmn`);

test.describe.configure({ mode: 'serial' });
test.use({ autoGoto: true });

// An engine already running for another test run may predate this process: publish it (the engine
// keeps the version it has when the file is unchanged).
test.beforeAll(async () => {
  const form = new FormData();
  form.append('deployment-name', KEY);
  form.append('deploy-changed-only', 'true');
  form.append('data', new Blob([readFileSync(BPMN)]), `${KEY}.bpmn`);
  const reply = await fetch(`${ENGINE_URL}/deployment/create`, {
    method: 'POST',
    body: form
  });
  expect(reply.ok).toBe(true);
});

async function startFromPanel(
  page: IJupyterLabPageFixture,
  flow: string,
  businessKey: string
): Promise<Locator> {
  const panel = page.locator(PANEL);
  if (!(await panel.isVisible())) {
    await page.locator('.jp-SideBar [data-id="jp-dataops-workflows"]').click();
  }
  const start = panel.locator(
    `.jp-DataOps-wf-definition[data-key="${KEY}"] .jp-DataOps-wf-start`
  );
  await expect(start).toBeVisible({ timeout: 30000 });
  await start.click();
  const dialog = page.locator('.jp-DataOps-wf-startDialog');
  await expect(dialog).toBeVisible();
  await dialog.locator('#jp-DataOps-wf-start-flow').fill(flow);
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

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}`;

test('an R step streams its log live and its outputs become variables', async ({
  page
}) => {
  const view = await startFromPanel(page, 'EXR', unique('R-EXR'));
  const log = view.locator('.jp-DataOps-wf-logLines');
  // R's message() and cat() lines, seen while the step still runs
  await expect(log).toContainText('summarising EXR in R', { timeout: 60000 });
  await expect(log).toContainText('observation  1 of 12');
  await expect(view).toHaveAttribute('data-status', 'running');
  await page.screenshot({ path: 'screenshots/r-step-live.png' });

  await expect(view).toHaveAttribute('data-status', 'completed', {
    timeout: 60000
  });
  await expect(log).toContainText('observation 12 of 12');
  await expect(log).toContainText('mean ');
  await expect(view.locator('tr[data-variable="observations"] td')).toHaveText(
    '12'
  );
});

test('a failing R step raises an incident whose details show the R traceback', async ({
  page
}) => {
  const view = await startFromPanel(page, 'XYZ', unique('R-XYZ'));
  await expect(view).toHaveAttribute('data-status', 'incident', {
    timeout: 60000
  });
  const incident = view.locator(
    '.jp-DataOps-wf-incidents li[data-state="open"]'
  );
  await expect(incident).toContainText("unknown dataflow 'XYZ'", {
    timeout: 10000
  });
  await incident.getByRole('button', { name: 'Details' }).click();
  const details = incident.locator('.jp-DataOps-wf-details');
  await expect(details).toContainText(
    "R traceback (summary.R, topic 'r_summarise'; most recent call last):"
  );
  await expect(details).toContainText('2: check_flow(vars$flow) at summary.R#');
  await expect(details).not.toContainText('Traceback (most recent call last)');
  await page.screenshot({ path: 'screenshots/r-step-incident.png' });
});
