import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ExternalLink } from '../../common/components/ExternalLink';
import { dashboardRows } from '../dashboards';
import { IEnvDashboards } from '../deployModel';

/** Props of `DashboardList`. */
export interface IDashboardListProps {
  /** The environment's dashboards (its error is shown by the panel). */
  dashboards: IEnvDashboards | undefined;
  trans: TranslationBundle;
}

/** An environment's published dashboards: link (new tab), version (short commit), when published. */
export function DashboardList(props: IDashboardListProps): JSX.Element | null {
  const { dashboards, trans } = props;
  if (!dashboards) {
    return null;
  }
  const rows = dashboardRows(dashboards.list);
  if (rows.length === 0) {
    return null;
  }
  return (
    <div className="jp-DataOps-dashboards">
      <h4>{trans.__('Dashboards')}</h4>
      <ul>
        {rows.map(row => {
          return (
            <li
              key={`${row.kind}:${row.name}`}
              className="jp-DataOps-dashboard"
              data-dashboard={row.name}
            >
              <ExternalLink
                url={row.url}
                className="jp-DataOps-dashboardLink"
                title={trans.__('Open %1 in a new tab', row.url)}
              >
                {row.name}
              </ExternalLink>
              <span className="jp-DataOps-muted">
                {row.kind === 'shiny' ? 'Shiny' : 'Voilà'}
              </span>
              <code title={row.commit}>{row.version}</code>
              <time
                dateTime={row.publishedAt.toISOString()}
                title={row.publishedAt.toISOString()}
              >
                {trans.__('published %1', row.publishedAt.toLocaleString())}
              </time>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
