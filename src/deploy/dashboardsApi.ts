import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../api/client';

// --- dashboards (docs/openapi-dashboards.yaml) ----------------------------

/** One dashboard an environment serves now. */
export interface IPublishedDashboard {
  name: string;
  kind: 'shiny' | 'voila';
  /** The target serving it: shiny-server, voila, connect. */
  target: string;
  /** Where users open it. */
  url: string;
  /** The deployment repository's commit published. */
  commit: string;
  /** ISO 8601. */
  published_at: string;
}

/** Reply of `GET dashboards/{env}`. */
export interface IDashboardsReply {
  environment: string;
  dashboards: IPublishedDashboard[];
}

/** The dashboards `env` serves now (403 for whoever may not see its pipelines). */
export function fetchDashboards(
  env: string,
  settings?: ServerConnection.ISettings
): Promise<IDashboardsReply> {
  return requestAPI(
    URLExt.join('dashboards', encodeURIComponent(env)),
    {},
    settings
  );
}
