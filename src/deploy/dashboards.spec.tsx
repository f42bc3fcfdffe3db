import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

import { IPlannedFile } from './api';
import { DashboardList } from './components/DashboardList';
import {
  dashboardApp,
  dashboardEdits,
  dashboardRows,
  isDashboardSource
} from './dashboards';
import { IPublishedDashboard } from './dashboardsApi';

const trans = nullTranslator.load('jupyterlab_dataops');

function file(source: string, destination: string): IPlannedFile {
  return {
    source,
    destination,
    kind: 'file',
    size: 1,
    status: 'new',
    diff: { status: 'new', lines: [], cells: [] }
  };
}

function published(
  name: string,
  commit: string,
  at: string,
  url = `http://dash:3838/dev/${name}/`
): IPublishedDashboard {
  return {
    name,
    kind: 'shiny',
    target: 'shiny-server',
    url,
    commit,
    published_at: at
  };
}

describe('publishing as a dashboard', () => {
  it('takes notebooks and the R files of a Shiny app, nothing else', () => {
    expect(isDashboardSource('work/overview.ipynb')).toBe(true);
    expect(isDashboardSource('work/rates/app.R')).toBe(true);
    expect(isDashboardSource('work/rates/server.R')).toBe(true);
    expect(isDashboardSource('work/rates/helpers.R')).toBe(false);
    expect(isDashboardSource('steps/report.py')).toBe(false);
    expect(isDashboardSource(null)).toBe(false);
  });

  it('names a Shiny app after its folder and a notebook after its stem', () => {
    expect(dashboardApp('work/rates/app.R')).toEqual({
      name: 'rates',
      folder: 'work/rates',
      main: 'work/rates/app.R'
    });
    expect(dashboardApp('work/overview.ipynb')?.name).toBe('overview');
    expect(dashboardApp('app.R')).toBeNull(); // no folder to name the app
  });

  it('moves every file of an app under dashboards/<name>/, keeping its place in the folder', () => {
    const app = dashboardApp('work/rates/app.R')!;
    const edits = dashboardEdits(app, [
      file('work/rates/app.R', 'steps/app.R'),
      file('work/rates/www/style.css', 'steps/style.css'),
      file('work/rates/data.csv', 'steps/data.csv')
    ]);
    expect(edits).toEqual({
      'steps/app.R': 'dashboards/rates/app.R',
      'steps/style.css': 'dashboards/rates/www/style.css',
      'steps/data.csv': 'dashboards/rates/data.csv'
    });
  });

  it('puts a notebook and its generated script in a folder of their own', () => {
    const app = dashboardApp('work/overview.ipynb')!;
    expect(
      dashboardEdits(app, [
        file('work/overview.ipynb', 'notebooks/overview.ipynb'),
        file('', 'notebooks/overview.py')
      ])
    ).toEqual({
      'notebooks/overview.ipynb': 'dashboards/overview/overview.ipynb',
      'notebooks/overview.py': 'dashboards/overview/overview.py'
    });
  });
});

describe('the Deploy panel lists dashboards', () => {
  it('shows the short commit, newest publication first', () => {
    const rows = dashboardRows([
      published('rates', 'a'.repeat(40), '2026-12-01T10:00:00+00:00'),
      published('overview', 'b1c2d3e4f5'.repeat(4), '2026-12-03T09:30:00+00:00')
    ]);
    expect(rows.map(r => [r.name, r.version])).toEqual([
      ['overview', 'b1c2d3e4'],
      ['rates', 'aaaaaaaa']
    ]);
    expect(rows[0].publishedAt.toISOString()).toBe('2026-12-03T09:30:00.000Z');
  });

  it('links each dashboard in a new tab, never a script address', () => {
    const html = renderToStaticMarkup(
      <DashboardList
        dashboards={{
          list: [
            published('rates', 'c'.repeat(40), '2026-12-03T09:30:00Z'),
            published(
              'evil',
              'd'.repeat(40),
              '2026-12-02T09:30:00Z',
              'javascript:alert(1)'
            )
          ],
          error: null
        }}
        trans={trans}
      />
    );
    expect(html).toContain('href="http://dash:3838/dev/rates/"');
    expect(html).toContain('target="_blank"');
    expect(html).toContain('cccccccc');
    expect(html).toContain('dateTime="2026-12-03T09:30:00.000Z"');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('evil');
  });

  it('shows nothing for an environment without dashboards', () => {
    const html = renderToStaticMarkup(
      <DashboardList dashboards={{ list: [], error: null }} trans={trans} />
    );
    expect(html).toBe('');
  });
});
