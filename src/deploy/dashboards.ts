import { PathExt } from '@jupyterlab/coreutils';

import { IPlannedFile } from './api';
import { IPublishedDashboard } from './dashboardsApi';

/** The deployment repository's folder of dashboards (dataops/dashboards/discovery.py). */
export const DASHBOARDS_FOLDER = 'dashboards';

/** Files whose folder is a Shiny app, or a notebook shown by Voilà. */
const SHINY_FILES = ['app.R', 'ui.R', 'server.R'];

/** An app being published as a dashboard: its name and the folder its files are relative to. */
export interface IDashboardApp {
  name: string;
  /** Server-root relative folder holding the app's files ('' for the root). */
  folder: string;
  /** The file the promotion is about (a notebook, or the app's app.R / server.R). */
  main: string;
}

/** Can `path` be published as a dashboard (a notebook, or a Shiny app's R file)? */
export function isDashboardSource(path: string | null | undefined): boolean {
  if (!path) {
    return false;
  }
  return (
    PathExt.extname(path) === '.ipynb' ||
    SHINY_FILES.includes(PathExt.basename(path))
  );
}

/**
 * The app `path` belongs to: a notebook is its own app (named after its stem), a Shiny app's file
 * stands for its folder (named after the folder); `null` for anything else.
 */
export function dashboardApp(path: string): IDashboardApp | null {
  if (!isDashboardSource(path)) {
    return null;
  }
  const folder = PathExt.dirname(path);
  if (PathExt.extname(path) === '.ipynb') {
    return { name: PathExt.basename(path, '.ipynb'), folder, main: path };
  }
  const name = PathExt.basename(folder);
  return name ? { name, folder, main: path } : null;
}

/**
 * Destination edits moving every file of a review under `dashboards/<name>/`, keeping each file's
 * place inside the app's folder (the notebook's generated `.py` goes beside the notebook).
 * Keyed by the proposed destination, as the Promote dialog's edits are.
 */
export function dashboardEdits(
  app: IDashboardApp,
  files: IPlannedFile[]
): Record<string, string> {
  const edits: Record<string, string> = {};
  const prefix = app.folder ? `${app.folder}/` : '';
  for (const file of files) {
    let inner: string;
    if (!file.source) {
      inner = `${PathExt.basename(app.main, PathExt.extname(app.main))}.py`;
    } else if (prefix && file.source.startsWith(prefix)) {
      inner = file.source.slice(prefix.length);
    } else {
      inner = prefix ? PathExt.basename(file.source) : file.source;
    }
    edits[file.destination] = `${DASHBOARDS_FOLDER}/${app.name}/${inner}`;
  }
  return edits;
}

/** A dashboard as the Deploy panel lists it. */
export interface IDashboardRow {
  name: string;
  kind: string;
  url: string;
  /** The commit's first eight characters. */
  version: string;
  commit: string;
  publishedAt: Date;
}

/** Rows for the Deploy panel, newest publication first. */
export function dashboardRows(list: IPublishedDashboard[]): IDashboardRow[] {
  return list
    .map(d => ({
      name: d.name,
      kind: d.kind,
      url: d.url,
      version: d.commit.slice(0, 8),
      commit: d.commit,
      publishedAt: new Date(d.published_at)
    }))
    .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
}
