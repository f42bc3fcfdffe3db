import { expect, test } from './fixtures';

const PANELS = [
  {
    id: 'jp-dataops-data',
    title: 'Data',
    status: '8 data sources configured'
  },
  {
    id: 'jp-dataops-workflows',
    title: 'Workflows',
    status: 'Workflow engine at http://127.0.0.1:18431/engine-rest'
  },
  {
    id: 'jp-dataops-deploy',
    title: 'Deploy',
    status: '2 environments: dev, prod'
  }
];

for (const panel of PANELS) {
  test(`the ${panel.title} panel opens from its sidebar tab and shows the server status`, async ({
    page
  }) => {
    const tab = page.locator(`.jp-SideBar [data-id="${panel.id}"]`);
    await expect(tab).toBeVisible();
    await tab.click();
    const body = page.locator(`#${panel.id}`);
    await expect(body).toBeVisible();
    await expect(body.locator('h2')).toHaveText(panel.title);
    await expect(body.locator('.jp-DataOps-status')).toHaveText(panel.status);
    // Without JupyterHub nothing enforces rights, and the panels that act say so.
    const rights = body.locator('.jp-DataOps-rights');
    if (panel.title === 'Data') {
      await expect(rights).toHaveCount(0);
    } else {
      await expect(rights).toHaveText(
        'single-user mode: rights are not enforced'
      );
    }
    await body.screenshot({
      path: test.info().outputPath(`${panel.title.toLowerCase()}-panel.png`)
    });
    await page.screenshot({
      path: `screenshots/${panel.title.toLowerCase()}-panel.png`
    });
  });
}

test('the palette lists the commands that open the panels', async ({
  page
}) => {
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#command-palette');
  await expect(palette).toBeVisible();
  await palette.locator('input').fill('DataOps: Open');
  await expect(palette.locator('.lm-CommandPalette-item')).toHaveCount(3);
  await palette
    .locator('.lm-CommandPalette-item', { hasText: 'Open Workflows Panel' })
    .click();
  await expect(page.locator('#jp-dataops-workflows')).toBeVisible();
});

test('a panel explains what to do when the server extension is missing', async ({
  page
}) => {
  await page.route('**/dataops/api/status*', route =>
    route.fulfill({
      status: 404,
      contentType: 'text/html',
      body: '<html>404</html>'
    })
  );
  await page.reload();
  await page.waitForSelector('#jupyterlab-splash', { state: 'detached' });
  await page.locator('.jp-SideBar [data-id="jp-dataops-data"]').click();
  const body = page.locator('#jp-dataops-data');
  await expect(body.locator('.jp-DataOps-status')).toHaveText(
    'Server extension unavailable'
  );
  await expect(body.locator('[role="alert"]')).toContainText(
    'jupyter server extension enable jupyterlab_dataops'
  );
  await page.screenshot({ path: 'screenshots/data-panel-server-missing.png' });
});
