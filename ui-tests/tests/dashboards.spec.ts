import { ChildProcess, spawn } from 'child_process';
import { existsSync } from 'fs';
import * as path from 'path';

import { expect, test } from './fixtures';
import { GITLAB_SPEC } from '../setup/deploy';

/**
 * The Deploy panel's dashboards: a Shiny app published to dev and served by the real Shiny Server
 * (ui-tests/setup/dashboards.py) is listed with its version and opens from the panel in a new tab.
 */
test.skip(
  !existsSync(GITLAB_SPEC),
  `GitLab's OpenAPI subset is not at ${GITLAB_SPEC} (../shared): the Deploy panel's environments cannot load`
);

let server: ChildProcess | null = null;

test.beforeAll(async () => {
  const python =
    process.env.PYTHON ??
    path.resolve(__dirname, '..', '..', '.venv', 'bin', 'python');
  server = spawn(
    python,
    [path.resolve(__dirname, '..', 'setup', 'dashboards.py')],
    {
      stdio: ['ignore', 'pipe', 'inherit']
    }
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    server!.once('exit', code =>
      reject(new Error(`The Shiny Server setup exited (code ${code}).`))
    );
    server!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) {
        resolve();
      }
    });
  });
  server.removeAllListeners('exit');
});

test.afterAll(() => {
  server?.kill('SIGTERM');
});

test('the Deploy panel lists the published dashboard and opens it in a new tab', async ({
  page
}) => {
  await page.locator('.jp-SideBar [data-id="jp-dataops-deploy"]').click();
  const dev = page.locator('#jp-dataops-deploy section[data-env="dev"]');
  const row = dev.locator('.jp-DataOps-dashboard[data-dashboard="rates"]');
  await expect(row).toBeVisible({ timeout: 60000 });
  await expect(row.locator('code')).toHaveText('5eed5eed');
  await expect(row.locator('time')).toContainText('published');

  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    row.locator('a').click()
  ]);
  await tab.waitForLoadState();
  expect(tab.url()).toBe('http://127.0.0.1:18796/rates/');
  await expect(tab.locator('h2')).toHaveText('EUR/USD in the UI test', {
    timeout: 60000
  });
  await expect(tab.locator('#latest')).toHaveText('Latest 1.0542');
  await tab.close();
});

test('Publish as dashboard opens the Promote dialog with the notebook under dashboards/', async ({
  page,
  tmpPath
}) => {
  const name = `overview-${Date.now()}`;
  await page.contents.uploadContent(
    JSON.stringify({
      cells: [
        {
          cell_type: 'code',
          id: 'c0',
          metadata: {},
          source: 'print("EUR/USD")',
          outputs: [],
          execution_count: null
        }
      ],
      metadata: {
        kernelspec: {
          name: 'python3',
          display_name: 'Python 3',
          language: 'python'
        }
      },
      nbformat: 4,
      nbformat_minor: 5
    }),
    'text',
    `${tmpPath}/${name}.ipynb`
  );
  await page.notebook.openByPath(`${tmpPath}/${name}.ipynb`);
  await page.notebook.activate(`${name}.ipynb`);
  await page
    .locator(
      '.jp-NotebookPanel-toolbar [data-jp-item-name="dataops-publish-dashboard"] button'
    )
    .click();
  const dialog = page.locator('.jp-DataOps-promoteDialog');
  await expect(dialog.locator('[data-step="files"]')).toBeVisible({
    timeout: 60000
  });
  // the first review proposes notebooks/; the dialog moves both files and reviews again
  const destinations = dialog.locator('.jp-DataOps-destination');
  await expect(destinations.nth(0)).toHaveValue(
    `dashboards/${name}/${name}.ipynb`,
    { timeout: 60000 }
  );
  await expect(destinations.nth(1)).toHaveValue(
    `dashboards/${name}/${name}.py`
  );
  await dialog.getByRole('button', { name: 'Next: Review' }).click();
  await expect(
    dialog.locator(
      `.jp-DataOps-fileDiff[data-destination="dashboards/${name}/${name}.ipynb"]`
    )
  ).toBeVisible({ timeout: 60000 });
  await dialog.locator('.jp-mod-reject').click();
});
