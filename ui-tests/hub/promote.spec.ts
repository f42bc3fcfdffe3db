import { expect, Page, test } from '@playwright/test';

import { collectPageErrors } from '../tests/fixtures';

/**
 * The hub journey of issue #14: through a real JupyterHub (started by
 * tests/hub/test_browser_journey.py), each account logs in on the hub's login page, lands in its
 * own JupyterLab under /user/<name>/, opens a notebook and the Promote dialog, and sees which
 * environments the DataOps service lets it promote to.
 *
 * The harness passes what the service answered for each user (DATAOPS_HUB_EXPECT, JSON):
 * `{ "<user>": { "notebook": "<path>", "environments": [{ "id", "may_promote", "reason" }] } }`.
 */
interface IExpectedEnvironment {
  id: string;
  may_promote: boolean;
  reason?: string;
}
interface IExpectedUser {
  notebook: string;
  environments: IExpectedEnvironment[];
}

const PASSWORD = process.env.DATAOPS_HUB_PASSWORD || '';
const EXPECTED: Record<string, IExpectedUser> = JSON.parse(
  process.env.DATAOPS_HUB_EXPECT || '{}'
);
/** A single-user server that the hub is still spawning may take this long on a busy machine. */
const SPAWN_TIMEOUT = 150000;

/** Log in as `user` on the hub's login page; resolves once the user's JupyterLab is up. */
async function logIn(page: Page, user: string): Promise<void> {
  await page.goto('/hub/login');
  await page.locator('#username_input').fill(user);
  await page.locator('#password_input').fill(PASSWORD);
  await page.locator('#login_submit').click();
  // the hub sends the user to their server (through its spawn-pending page if it is starting)
  await page.waitForURL(new RegExp(`/user/${user}/lab`), {
    timeout: SPAWN_TIMEOUT
  });
  await page
    .locator('#jupyterlab-splash')
    .waitFor({ state: 'detached', timeout: SPAWN_TIMEOUT });
}

/** Open the Promote dialog of the notebook at `path` (in the user's home); returns the dialog. */
async function openPromote(page: Page, user: string, path: string) {
  await page.goto(`/user/${user}/lab/tree/${path}`);
  // notebooks restored from the user's workspace are open too, in hidden tabs
  const toolbar = page.locator('.jp-NotebookPanel-toolbar:visible');
  await toolbar.locator('[data-jp-item-name="dataops-promote"]').click();
  const dialog = page.locator('.jp-DataOps-promoteDialog');
  await expect(dialog).toBeVisible();
  return dialog;
}

for (const user of ['analyst', 'releaser']) {
  test(`${user} logs in through the hub and sees the environments the service allows`, async ({
    page
  }) => {
    const errors = collectPageErrors(page);
    const expected = EXPECTED[user];
    expect(
      expected,
      `DATAOPS_HUB_EXPECT has no entry for ${user}`
    ).toBeTruthy();
    await logIn(page, user);
    expect(new URL(page.url()).pathname).toMatch(
      new RegExp(`^/user/${user}/lab`)
    );

    // the labextension is installed in the hub's environment: its Deploy panel loads here.
    // The user's workspace may reopen the panel from an earlier visit while the page restores its
    // layout, so a click may close it again: open it until it stays open.
    const deployTab = page.locator('.jp-SideBar [data-id="jp-dataops-deploy"]');
    const dev = page.locator(
      '#jp-dataops-deploy .jp-DataOps-env[data-env="dev"]'
    );
    await expect(async () => {
      if ((await deployTab.getAttribute('aria-selected')) !== 'true') {
        await deployTab.click();
      }
      await expect(dev).toBeVisible({ timeout: 3000 });
    }).toPass({ timeout: 60000 });

    const dialog = await openPromote(page, user, expected.notebook);
    const allowed = expected.environments.filter(e => e.may_promote);
    if (allowed.length === 1) {
      // the only environment open to the user is chosen at once and its review starts
      await expect(dialog.locator('[data-step="files"]')).toBeVisible({
        timeout: 60000
      });
      await dialog.getByRole('button', { name: '1. Environment' }).click();
    }
    const option = (id: string) =>
      dialog.locator(`.jp-DataOps-envOption[data-env="${id}"]`);
    await expect(dialog.locator('.jp-DataOps-envOption')).toHaveCount(
      expected.environments.length
    );
    for (const env of expected.environments) {
      if (env.may_promote) {
        await expect(option(env.id).locator('input')).toBeEnabled();
        await expect(option(env.id).locator('.jp-DataOps-reason')).toHaveCount(
          0
        );
      } else {
        await expect(option(env.id).locator('input')).toBeDisabled();
        await expect(option(env.id)).toHaveAttribute('aria-disabled', 'true');
        await expect(option(env.id).locator('.jp-DataOps-reason')).toHaveText(
          env.reason || ''
        );
      }
    }
    // what issue #14 asks to see, whatever the service's answer was
    await expect(option('dev').locator('input')).toBeEnabled();
    if (user === 'analyst') {
      await expect(option('prod').locator('input')).toBeDisabled();
      await expect(option('prod').locator('.jp-DataOps-reason')).toHaveText(
        'Only members of release-managers may promote to prod; analyst may not.'
      );
    } else {
      await expect(option('prod').locator('input')).toBeEnabled();
    }
    await dialog.screenshot({ path: `screenshots/hub-promote-${user}.png` });

    if (user === 'releaser') {
      // enabled for real: choosing prod starts its review (the service builds the plan)
      await option('prod').locator('input').check();
      await expect(option('prod').locator('input')).toBeChecked();
      await dialog.getByRole('button', { name: 'Next: What goes' }).click();
      await expect(dialog.locator('[data-step="files"]')).toBeVisible({
        timeout: 60000
      });
      await expect(
        dialog.locator('.jp-DataOps-destination').first()
      ).toHaveValue(new RegExp(`${expected.notebook.replace('.', '\\.')}$`));
    }
    expect(errors, 'uncaught errors in the page').toEqual([]);
  });
}
