import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';

import { expect, test } from './fixtures';
import { SEED } from '../setup/metadata';

/**
 * The metadata editors' journey (run by metadata.config.js): edit ECB EXR's allowed constraint in
 * the Constraints editor, see its diff in the Promote dialog, promote it to "test" (a plain git
 * repository, setup/metadata.ts), and see the new version served by the SDMX REST endpoint;
 * deprecate a currency stored series use, see removing it refused with the series named (the store
 * STORE_TEST holds ECB's USD and GBP series); open the editors from the Deploy panel.
 */

const CONSTRAINT_2 = 'metadata/dataconstraints/ECB+EXR_CONSTRAINTS+2.0.0.xml';

/** How long an answer of the server may take on a loaded 2-core machine. */
const SLOW = { timeout: 60000 };

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap(name => {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory() ? filesUnder(full, rel) : [rel];
  });
}

/** Put ECB EXR's artefacts (version 1.0 each) in the folder the server works in. */
async function seedWorkingCopy(page: IJupyterLabPageFixture): Promise<void> {
  for (const rel of filesUnder(SEED)) {
    const folders = rel.split('/').slice(0, -1);
    for (let i = 1; i <= folders.length; i++) {
      const folder = folders.slice(0, i).join('/');
      if (!(await page.contents.directoryExists(folder))) {
        await page.contents.createDirectory(folder);
      }
    }
    await page.contents.uploadContent(
      readFileSync(path.join(SEED, rel), 'utf-8'),
      'text',
      rel
    );
  }
}

test('edit a constraint, review its diff, promote it to test and see it served', async ({
  page,
  request,
  baseURL
}) => {
  await seedWorkingCopy(page);
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('dataops:metadata-constraints');
  });
  const editor = page.locator('.jp-DataOps-constraints');
  await expect(editor.getByLabel('Dataflow')).toHaveValue('ECB:EXR(1.0)', SLOW);

  const currency = editor.locator('[data-dimension="CURRENCY"]');
  await currency.locator('summary').click(SLOW);
  await currency.getByLabel('CURRENCY USD', { exact: true }).uncheck();
  const proposed = editor.locator('.jp-DataOps-metaPreview');
  await expect(proposed).toContainText('Version 1.0 → 2.0.0 (a major change)');
  await expect(proposed).toContainText('CURRENCY no longer allows USD');

  await editor.getByRole('button', { name: 'Diff against branch' }).click();
  await expect(editor.locator('.jp-DataOps-metaBranchDiff')).toContainText(
    'Against 1.0 in deploy/test:',
    SLOW
  );

  await editor.getByRole('button', { name: 'Save as new version' }).click();
  const saved = editor.locator('[role="status"]');
  await expect(saved).toContainText(
    `Saved ${CONSTRAINT_2} (version 2.0.0).`,
    SLOW
  );
  await saved.getByRole('button', { name: 'Promote…' }).click();

  const dialog = page.locator('.jp-DataOps-promoteDialog');
  await expect(dialog.locator('[data-step="files"]')).toBeVisible({
    timeout: 60000
  });
  await expect(dialog.locator('.jp-DataOps-destination')).toHaveValue(
    CONSTRAINT_2
  );
  await dialog.getByRole('button', { name: 'Next: Review' }).click();
  await expect(dialog.locator('.jp-DataOps-scanClean')).toContainText(
    'nothing found',
    SLOW
  );
  await expect(dialog.locator('.jp-DataOps-metadataProblems')).toHaveCount(0);
  const diff = dialog.locator(
    `.jp-DataOps-fileDiff[data-destination="${CONSTRAINT_2}"]`
  );
  await expect(diff.locator('[data-op="add"]').first()).toBeVisible();
  await expect(diff).toContainText('EXR_CONSTRAINTS');

  await dialog.getByRole('button', { name: 'Next: Commit' }).click();
  await dialog.locator('.jp-DataOps-submit').click();
  await expect(dialog.locator('.jp-DataOps-done')).toContainText(
    'Promoted 1 file(s) to deploy/test.',
    { timeout: 30000 }
  );

  const served = await request.get(
    `${baseURL}/dataops/sdmx/ORG_TEST/structure/dataconstraint/ECB/EXR_CONSTRAINTS/2.0.0`
  );
  expect(served.status()).toBe(200);
  const body = await served.text();
  expect(body).toContain('version="2.0.0"');
});

test('a code stored series use is deprecated, and removing it is refused naming the series', async ({
  page
}) => {
  await seedWorkingCopy(page);
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('dataops:metadata-codelist');
  });
  const editor = page.locator('.jp-DataOps-codelist');
  await editor.getByLabel('Codelist').selectOption('ECB:CL_CURRENCY', SLOW);
  const row = (code: string) =>
    editor.locator('tr').filter({
      has: page.locator('td', { hasText: new RegExp(`^${code}$`) })
    });
  await expect(row('GBP')).toBeVisible(SLOW);

  await row('GBP').getByRole('button', { name: 'Deprecate' }).click();
  const proposed = editor.locator('.jp-DataOps-metaPreview');
  await expect(proposed).toContainText('Version 1.0 → 1.1.0', SLOW);
  await expect(proposed).toContainText('codes deprecated: GBP');
  await expect(row('GBP')).toContainText('deprecated from');
  await editor.getByRole('button', { name: 'Save as new version' }).click();
  await expect(editor.locator('[role="status"]')).toContainText(
    'Saved metadata/codelists/ECB+CL_CURRENCY+1.1.0.xml (version 1.1.0).',
    SLOW
  );
  const written = await page.evaluate(
    async file =>
      (
        await window.jupyterapp.serviceManager.contents.get(file, {
          type: 'file',
          format: 'text',
          content: true
        })
      ).content as string,
    'metadata/codelists/ECB+CL_CURRENCY+1.1.0.xml'
  );
  expect(written).toContain(
    '<com:AnnotationType>DEPRECATED</com:AnnotationType>'
  );

  await row('GBP').getByRole('button', { name: 'Remove' }).click();
  await expect(editor.locator('.jp-DataOps-metaAffected')).toContainText(
    'GBP (CURRENCY of ECB:EXR): 1 stored series uses this code — M.GBP.EUR.SP00.A',
    SLOW
  );
  await expect(proposed.getByRole('alert')).toContainText(
    'Stored series still use GBP: a code in use cannot be removed. Deprecate it instead.'
  );
  await expect(
    editor.getByRole('button', { name: 'Save as new version' })
  ).toBeDisabled();
});

test('the Deploy panel opens the Constraints editor against its environment', async ({
  page
}) => {
  await seedWorkingCopy(page);
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('dataops:open-deploy');
  });
  const metadata = page.getByRole('group', { name: 'Metadata of test' });
  await metadata.getByRole('button', { name: 'Constraints' }).click(SLOW);
  const editor = page.locator('.jp-DataOps-constraints');
  await expect(editor.getByLabel('Dataflow')).toHaveValue('ECB:EXR(1.0)', SLOW);
  await expect(editor.getByLabel('Environment')).toHaveValue('test', SLOW);
  await expect(
    page.getByRole('tab', { name: /Constraints Editor · test/ })
  ).toBeVisible();
});
