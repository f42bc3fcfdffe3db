import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, test } from './fixtures';
import { existsSync } from 'fs';

import { GITLAB_SPEC } from '../setup/deploy';

/**
 * Promote and the Deploy panel against the spec-checked GitLab fake (ui-tests/setup/deploy.ts):
 * dev is open to the test user, prod names only "rita".
 */
test.skip(
  !existsSync(GITLAB_SPEC),
  `GitLab's OpenAPI subset is not at ${GITLAB_SPEC} (../shared): the GitLab fake cannot run`
);

/** A notebook with a parameters cell, one that imports a local module, and markdown. */
function notebook(cells: [string, string][]): string {
  return JSON.stringify({
    cells: cells.map(([type, source], i) => ({
      cell_type: type,
      id: `cell-${i}`,
      metadata: i === 0 ? { tags: ['parameters'] } : {},
      source,
      ...(type === 'code' ? { outputs: [], execution_count: null } : {})
    })),
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3',
        language: 'python'
      }
    },
    nbformat: 4,
    nbformat_minor: 5
  });
}

/** Upload `content` as `name` in the test's folder and open it. */
async function openNotebook(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string,
  content: string
): Promise<void> {
  await page.contents.uploadContent(content, 'text', `${tmpPath}/${name}`);
  await page.notebook.openByPath(`${tmpPath}/${name}`);
  await page.notebook.activate(name);
}

/** The messages of JupyterLab's notifications of one type, oldest first. */
async function messages(
  page: IJupyterLabPageFixture,
  type: string
): Promise<string[]> {
  const all = await page.notifications;
  return all.filter(n => n.type === type).map(n => n.message);
}

async function openPromote(page: IJupyterLabPageFixture) {
  await page
    .locator('.jp-NotebookPanel-toolbar [data-jp-item-name="dataops-promote"]')
    .click();
  const dialog = page.locator('.jp-DataOps-promoteDialog');
  await expect(dialog).toBeVisible();
  // dev is the only environment open to this user: its review (diff and secret scan) starts
  // at once; a busy 2-core machine may need a while for it
  await expect(dialog.locator('[data-step="files"]')).toBeVisible({
    timeout: 60000
  });
  return dialog;
}

test('Promote a notebook: review the diff, submit to dev, see the commit link', async ({
  page,
  tmpPath
}) => {
  const name = `nowcast-${Date.now()}.ipynb`;
  await page.contents.uploadContent(
    'WEIGHTS = {"DE": 0.28, "FR": 0.2}\n',
    'text',
    `${tmpPath}/weights.py`
  );
  await openNotebook(
    page,
    tmpPath,
    name,
    notebook([
      ['code', 'period = "2026-Q3"'],
      ['code', 'import weights\nnowcast = sum(weights.WEIGHTS.values())'],
      ['markdown', '# GDP nowcast']
    ])
  );
  const dialog = await openPromote(page);
  const files = dialog.locator('.jp-DataOps-destination');
  await expect(files).toHaveCount(3);
  await expect(files.nth(0)).toHaveValue(`notebooks/${name}`);
  await expect(files.nth(1)).toHaveValue(
    `notebooks/${name.replace('.ipynb', '.py')}`
  );
  await expect(files.nth(2)).toHaveValue('notebooks/weights.py');

  await dialog.getByRole('button', { name: 'Next: Review' }).click();
  await expect(dialog.locator('.jp-DataOps-scanClean')).toContainText(
    'nothing found'
  );
  const nb = dialog.locator(
    `.jp-DataOps-fileDiff[data-destination="notebooks/${name}"]`
  );
  await expect(nb.locator('.jp-DataOps-cellChangeHead')).toHaveText([
    'Cell 1 (code) added',
    'Cell 2 (code) added',
    'Cell 3 (markdown) added'
  ]);
  const py = dialog.locator(
    `.jp-DataOps-fileDiff[data-destination="notebooks/${name.replace('.ipynb', '.py')}"]`
  );
  await expect(py.locator('[data-op="add"]').first()).toBeVisible();
  await page.screenshot({ path: 'screenshots/deploy-review.png' });

  await dialog.getByRole('button', { name: 'Next: Commit' }).click();
  await expect(dialog.locator('textarea')).toHaveValue(
    new RegExp(`^Promote ${name.replace('.', '\\.')} to dev`)
  );
  await dialog.locator('.jp-DataOps-submit').click();
  const link = dialog.locator('.jp-DataOps-commitLink');
  await expect(link).toBeVisible({ timeout: 30000 });
  await expect(link).toHaveAttribute(
    'href',
    /^http:\/\/127\.0\.0\.1:18795\/stats\/deployment\/-\/commit\/[0-9a-f]{40}$/
  );
  await expect(dialog.locator('.jp-DataOps-done')).toContainText(
    'Promoted 3 file(s) to deploy/dev.'
  );
  await expect
    .poll(() => messages(page, 'success'))
    .toContainEqual(
      expect.stringMatching(/^Promoted to deploy\/dev: commit [0-9a-f]{8}\.$/)
    );
  await page.screenshot({ path: 'screenshots/deploy-promoted.png' });
});

test('a notebook containing a secret cannot be promoted', async ({
  page,
  tmpPath
}) => {
  // assembled here so that this file itself carries no token
  const token = ['glpat', 'xY7zA9bC1dE3fG5hJ7kL'].join('-');
  await openNotebook(
    page,
    tmpPath,
    'leaky.ipynb',
    notebook([
      ['code', 'period = "2026-Q3"'],
      ['code', `import requests\nGITLAB_TOKEN = "${token}"`]
    ])
  );
  const dialog = await openPromote(page);
  await dialog.getByRole('button', { name: 'Next: Review' }).click();
  const alert = dialog.locator('.jp-DataOps-stepBody [role="alert"]');
  await expect(alert).toContainText('Promotion blocked');
  await expect(alert.locator('li').first()).toContainText(
    'cell 2 (source), line 2'
  );
  await expect(dialog).not.toContainText(token);
  await expect(
    dialog.getByRole('button', { name: 'Next: Commit' })
  ).toBeDisabled();
  await expect(
    dialog.getByRole('button', { name: /Commit/ }).first()
  ).toBeDisabled();
  await page.screenshot({ path: 'screenshots/deploy-secret.png' });
});

test('a user without rights sees prod disabled with the reason', async ({
  page,
  tmpPath
}) => {
  await openNotebook(
    page,
    tmpPath,
    'rights.ipynb',
    notebook([['code', 'x = 1']])
  );
  const dialog = await openPromote(page);
  await dialog.getByRole('button', { name: '1. Environment' }).click();
  const prod = dialog.locator('.jp-DataOps-envOption[data-env="prod"]');
  await expect(prod.locator('input')).toBeDisabled();
  await expect(prod).toHaveAttribute('aria-disabled', 'true');
  await expect(prod.locator('.jp-DataOps-reason')).toContainText('rita');
  await expect(
    dialog.locator('.jp-DataOps-envOption[data-env="dev"] input')
  ).toBeChecked();
  await page.screenshot({ path: 'screenshots/deploy-environments.png' });
});

test('the Promote dialog styles its main action and shows disabled buttons as disabled', async ({
  page,
  tmpPath
}) => {
  await openNotebook(
    page,
    tmpPath,
    'styles.ipynb',
    notebook([['code', `y = ${Date.now()}`]])
  );
  const dialog = await openPromote(page);
  const look = (button: ReturnType<typeof dialog.locator>) =>
    button.evaluate(el => {
      const css = getComputedStyle(el);
      return { color: css.color, background: css.backgroundColor };
    });
  await dialog.getByRole('button', { name: 'Next: Review' }).click();
  const next = dialog.getByRole('button', { name: 'Next: Commit' });
  await expect(next).toBeEnabled();
  await expect(next).toHaveClass(/jp-mod-accept/);
  const enabled = await look(next);
  await next.click();
  const promote = dialog.locator('.jp-DataOps-submit');
  await expect(promote).toHaveClass(/jp-mod-accept/);
  await expect(promote).toBeEnabled();
  expect(await look(promote)).toEqual(enabled);
  // no message: Promote is disabled, and looks it (text and background both change)
  await dialog.locator('textarea').fill('');
  await expect(promote).toBeDisabled();
  const disabled = await look(promote);
  expect(disabled.color).not.toBe(enabled.color);
  expect(disabled.background).not.toBe(enabled.background);
  await dialog.screenshot({ path: 'screenshots/deploy-promote-disabled.png' });
  await dialog.locator('textarea').fill('A message');
  await expect(promote).toBeEnabled();
  await dialog.screenshot({ path: 'screenshots/deploy-promote-enabled.png' });
});

test('opening the Deploy panel asks only for the promotion histories the user may see', async ({
  page
}) => {
  const refused: string[] = [];
  const consoleErrors: string[] = [];
  page.on('response', response => {
    if (response.status() === 403) {
      refused.push(response.url());
    }
  });
  page.on('console', message => {
    if (message.type() === 'error') {
      consoleErrors.push(message.text());
    }
  });
  // from the start: the Deploy panel's model may ask while JupyterLab starts
  await page.goto();
  await page.locator('.jp-SideBar [data-id="jp-dataops-deploy"]').click();
  const panel = page.locator('#jp-dataops-deploy');
  await expect(panel.locator('.jp-DataOps-env[data-env="prod"]')).toContainText(
    'Only rita may see the promotions to prod'
  );
  const dev = panel.locator('.jp-DataOps-env[data-env="dev"]');
  await expect(dev.locator('.jp-DataOps-history')).toBeVisible();
  await expect(dev).not.toContainText('Loading promotions', { timeout: 30000 });
  await page.waitForTimeout(1000);
  expect(refused).toEqual([]);
  expect(consoleErrors).toEqual([]);
  await panel.screenshot({ path: 'screenshots/deploy-panel-prod-hidden.png' });
});

test('the Deploy panel runs a pipeline and shows its job log growing live', async ({
  page
}) => {
  await page.locator('.jp-SideBar [data-id="jp-dataops-deploy"]').click();
  const panel = page.locator('#jp-dataops-deploy');
  const dev = panel.locator('.jp-DataOps-env[data-env="dev"]');
  await expect(dev.locator('.jp-DataOps-pipeline').first()).toBeVisible({
    timeout: 30000
  });
  // prod is closed to the test user: its pipelines are not shown, the reason is.
  const prod = panel.locator('.jp-DataOps-env[data-env="prod"]');
  await expect(prod.locator('.jp-DataOps-runButton')).toHaveCount(0);
  await expect(prod).toContainText('Only rita may see the pipelines of prod');

  await dev.locator('.jp-DataOps-runButton').click();
  await dev.getByLabel('Variable name 1').fill('DATAOPS_SKIP_DEPLOY');
  await dev.getByLabel('Variable value 1').fill('true');
  await dev.getByRole('button', { name: 'Run pipeline' }).last().click();
  const startedMessage = /^Pipeline #(\d+) started on deploy\/dev\.$/;
  await expect
    .poll(() => messages(page, 'success'))
    .toContainEqual(expect.stringMatching(startedMessage));
  const id = (await messages(page, 'success'))
    .find(m => startedMessage.test(m))!
    .match(startedMessage)![1];
  const row = dev.locator(`.jp-DataOps-pipeline[data-pipeline="${id}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator('.jp-DataOps-badge')).toHaveText('running');
  await page.screenshot({ path: 'screenshots/deploy-panel.png' });

  await row.locator('.jp-DataOps-job[data-job="regression"]').click();
  const view = page.locator('.jp-DataOps-jobView[data-job="regression"]');
  await expect(view).toBeVisible();
  const lines = view.locator('.jp-DataOps-logLine');
  await expect(lines.first()).toContainText('Running with gitlab-runner');
  const early = await lines.count();
  await expect
    .poll(() => lines.count(), { timeout: 15000 })
    .toBeGreaterThan(early);
  await page.screenshot({ path: 'screenshots/deploy-job-log-live.png' });
  await expect(view.locator('.jp-DataOps-logFoot')).toContainText(
    'job finished',
    { timeout: 30000 }
  );
  // every line once, in order, colours kept, GitLab's section markers gone
  const text = await view.locator('.jp-DataOps-jobLog').innerText();
  expect(text.match(/Executing notebooks\/nowcast\.ipynb/g)).toHaveLength(1);
  expect(text).not.toContain('section_start');
  await expect(view.locator('.ansi-red-fg')).toHaveText('FAILED');
  await expect(view.locator('.jp-DataOps-logLine').last()).toContainText(
    'Prüfung abgeschlossen'
  );
  await expect(view.locator('.jp-DataOps-testReport')).toContainText(
    'Tests: 3 passed, 1 failed, 0 errors, 0 skipped of 4'
  );
  await expect
    .poll(() => messages(page, 'success'), { timeout: 60000 })
    .toContain(`Pipeline #${id} on deploy/dev passed.`);
  await page.screenshot({ path: 'screenshots/deploy-job-log.png' });
});

test('the Deploy panel lists the last promotions with their pipeline after a reload', async ({
  page,
  tmpPath
}) => {
  const refused: string[] = [];
  page.on('response', response => {
    if (response.status() === 403) {
      refused.push(response.url());
    }
  });
  const name = `history-${Date.now()}.ipynb`;
  await openNotebook(
    page,
    tmpPath,
    name,
    notebook([['code', `revision = ${Date.now()}`]])
  );
  const dialog = await openPromote(page);
  await dialog.getByRole('button', { name: 'Next: Review' }).click();
  await dialog.getByRole('button', { name: 'Next: Commit' }).click();
  await dialog.locator('textarea').fill(`Revised nowcast ${name}`);
  await dialog.locator('.jp-DataOps-submit').click();
  const link = dialog.locator('.jp-DataOps-commitLink');
  await expect(link).toBeVisible({ timeout: 30000 });
  const sha = (await link.getAttribute('href'))!.split('/').pop()!;

  // a new page knows nothing of this session: the promotion comes from the server's history
  // (the restored notebook replaces the launcher galata waits for by default)
  await page.reload({ waitForIsReady: false });
  const tab = page.locator('.jp-SideBar [data-id="jp-dataops-deploy"]');
  await expect(tab).toBeVisible({ timeout: 60000 });
  await tab.click();
  const panel = page.locator('#jp-dataops-deploy');
  const dev = panel.locator('.jp-DataOps-env[data-env="dev"]');
  const row = dev.locator(`.jp-DataOps-promotion[data-commit="${sha}"]`);
  await expect(row).toBeVisible({ timeout: 30000 });
  await expect(row).toHaveCount(1);
  await expect(row.locator('.jp-DataOps-badge').first()).toHaveText('landed');
  await expect(row.locator('.jp-DataOps-promotionMessage')).toHaveText(
    `Revised nowcast ${name}`
  );
  await expect(row.locator('a.jp-DataOps-commit')).toHaveAttribute(
    'href',
    `http://127.0.0.1:18795/stats/deployment/-/commit/${sha}`
  );
  await expect(row.locator('.jp-DataOps-promotionMessage')).toHaveAttribute(
    'title',
    `${tmpPath}/${name}`
  );
  // the pipeline GitLab started for the pushed commit, with its status
  const pipeline = row.locator('.jp-DataOps-promotionPipeline');
  await expect(pipeline.locator('.jp-DataOps-badge')).toHaveText(
    /^(created|pending|running|passed|failed)$/,
    { timeout: 30000 }
  );
  await expect(
    dev.locator(
      `.jp-DataOps-pipeline[data-pipeline="${await pipeline.getAttribute('data-pipeline')}"]`
    )
  ).toBeVisible();
  // prod's audit trail is for its release managers only
  await expect(panel.locator('.jp-DataOps-env[data-env="prod"]')).toContainText(
    'Only rita may see the promotions to prod'
  );
  // the sentence comes from the environments' answer: prod's history was never asked for,
  // neither after the promotion nor after the reload
  expect(refused).toEqual([]);
  await page.screenshot({ path: 'screenshots/deploy-history.png' });
});

test('a job log of 200,000 lines keeps only a window of lines and scrolls to its end', async ({
  page
}) => {
  await page.locator('.jp-SideBar [data-id="jp-dataops-deploy"]').click();
  const dev = page.locator(
    '#jp-dataops-deploy .jp-DataOps-env[data-env="dev"]'
  );
  // the GitLab fake's second pipeline ran one job, long-log, whose log has 200,000 lines
  const job = dev.locator('.jp-DataOps-job[data-job="long-log"]').first();
  await expect(job).toBeVisible({ timeout: 30000 });
  await job.click();
  const view = page.locator('.jp-DataOps-jobView[data-job="long-log"]');
  await expect(view.locator('.jp-DataOps-logFoot')).toHaveText(
    '200000 lines · job finished',
    { timeout: 60000 }
  );
  const log = view.locator('.jp-DataOps-jobLog');
  const lines = log.locator('.jp-DataOps-logLine');
  const follow = view.getByLabel('Follow the end of the log');

  // following the end: the last line is on screen, and only a window of lines is in the DOM
  await expect(
    lines.filter({ hasText: 'line 200000 of 200000' })
  ).toBeInViewport();
  expect(await lines.count()).toBeLessThan(500);
  await page.screenshot({ path: 'screenshots/deploy-job-log-long.png' });

  // back to the top: the first line, still a window, and following stops
  await log.evaluate(node => {
    node.scrollTop = 0;
  });
  await expect(lines.filter({ hasText: 'line 000001 of' })).toBeInViewport();
  await expect(follow).not.toBeChecked();
  expect(await lines.count()).toBeLessThan(500);

  // responsive: each jump across the log shows its lines within a few frames
  const slowest = await log.evaluate(async node => {
    const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
    let worst = 0;
    for (let step = 1; step <= 20; step++) {
      const target = Math.floor((200000 * step) / 21);
      const started = performance.now();
      node.scrollTop = (target - 1) * 18;
      const label = `line ${String(target).padStart(6, '0')} of`;
      while (!node.textContent!.includes(label)) {
        if (performance.now() - started > 5000) {
          return Infinity;
        }
        await frame();
      }
      worst = Math.max(worst, performance.now() - started);
    }
    return worst;
  });
  expect(slowest).toBeLessThan(1000);
  expect(await lines.count()).toBeLessThan(500);

  // the End key scrolls to the last line, and reaching the end follows again
  await log.focus();
  await page.keyboard.press('End');
  await expect(
    lines.filter({ hasText: 'line 200000 of 200000' })
  ).toBeInViewport();
  await expect(follow).toBeChecked();
  expect(await lines.count()).toBeLessThan(500);
});
