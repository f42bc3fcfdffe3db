import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { TranslationBundle } from '@jupyterlab/translation';
import { Button, HTMLSelect } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ErrorMessage } from '../../common/components/ErrorMessage';
import { DataModel } from '../model';
import {
  formatValue,
  IRevisions,
  revisionChart,
  triangleRows,
  vintageHeadings
} from '../vintages';
import { PreviewChart } from './PreviewChart';
import { IPreviewOptions } from './PreviewSection';
import { vintageSummary } from './VintagePicker';

/** Props of `RevisionsView`. */
export interface IRevisionsViewProps {
  model: DataModel;
  rendermime: IRenderMimeRegistry | null;
  options: IPreviewOptions;
  trans: TranslationBundle;
}

/**
 * The Revisions view of a store source: how each period of the selected series was revised from
 * vintage to vintage, as lines overlaid on one chart and as the revision triangle (periods ×
 * vintages, newest period first; new and revised values marked).
 */
export function RevisionsView(props: IRevisionsViewProps): JSX.Element {
  const { model, trans } = props;
  const revisions = model.history.revisions;
  const request = model.history.revisionsRequest;
  const open = revisions.kind !== 'idle';
  return (
    <div className="jp-DataOps-field jp-DataOps-revisions">
      <div className="jp-DataOps-row">
        <Button
          small
          disabled={revisions.kind === 'loading'}
          onClick={() => void model.showRevisions()}
          className="jp-DataOps-revisionsButton"
          title={trans.__(
            'How the selected series was revised from vintage to vintage'
          )}
        >
          {open ? trans.__('Refresh revisions') : trans.__('Revisions')}
        </Button>
        {open && (
          <Button small minimal onClick={() => model.history.closeRevisions()}>
            {trans.__('Close')}
          </Button>
        )}
      </div>
      {revisions.kind === 'loading' && (
        <div className="jp-DataOps-hint" role="status">
          {trans.__('Reading the revisions of %1…', request?.key || '*')}
        </div>
      )}
      {revisions.kind === 'error' && (
        <ErrorMessage
          error={revisions.error}
          trans={trans}
          onRetry={() => void model.showRevisions()}
        />
      )}
      {revisions.kind === 'ready' && (
        <Revisions {...props} revisions={revisions.value} />
      )}
    </div>
  );
}

function Revisions(
  props: IRevisionsViewProps & { revisions: IRevisions }
): JSX.Element {
  const { revisions, options, trans } = props;
  const [index, setIndex] = React.useState(0);
  const series = revisions.series[Math.min(index, revisions.series.length - 1)];
  const chart = React.useMemo(
    () => (series ? revisionChart(series, revisions.vintages) : null),
    [series, revisions.vintages]
  );
  const rows = React.useMemo(
    () => (series ? triangleRows(series) : []),
    [series]
  );
  if (!series || !chart) {
    return (
      <div className="jp-DataOps-hint" role="status">
        {trans.__('No series of %1 has been written.', revisions.key)}
      </div>
    );
  }
  const revised = rows.filter(r => r.revised).length;
  const headings = vintageHeadings(revisions.vintages);
  return (
    <div className="jp-DataOps-revisionsResult">
      {revisions.series.length > 1 && (
        <HTMLSelect
          value={String(index)}
          aria-label={trans.__('Series')}
          onChange={event => setIndex(Number(event.currentTarget.value))}
        >
          {revisions.series.map((s, i) => (
            <option key={s.series_key} value={String(i)}>
              {s.series_key}
            </option>
          ))}
        </HTMLSelect>
      )}
      <div className="jp-DataOps-counts" role="status">
        {trans.__(
          '%1: %2 periods in %3 vintages, %4 revised',
          series.series_key,
          rows.length,
          revisions.vintages.length,
          revised
        )}
      </div>
      {options.chart !== 'none' && chart.points.length > 0 && (
        <>
          <PreviewChart
            data={chart}
            rendermime={props.rendermime}
            renderer={options.chart}
            focus
            label={trans.__(
              'Line chart of %1 in %2 vintages',
              series.series_key,
              revisions.vintages.length
            )}
          />
          {chart.from && (
            <div className="jp-DataOps-hint">
              {trans.__(
                'The chart starts at %1, a year before the first revision.',
                chart.from
              )}
            </div>
          )}
        </>
      )}
      <div className="jp-DataOps-triangleHost">
        <table
          className="jp-DataOps-triangle"
          aria-label={trans.__('Revision triangle of %1', series.series_key)}
        >
          <thead>
            <tr>
              <th scope="col">{revisions.time_dimension ?? ''}</th>
              {revisions.vintages.map((v, j) => (
                <th
                  key={v.snapshot_id}
                  scope="col"
                  title={vintageSummary(v, trans)}
                >
                  {headings[j]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(row => (
              <tr key={row.period} data-revised={row.revised}>
                <th scope="row">{row.period}</th>
                {row.cells.map((cell, j) => (
                  <td
                    key={j}
                    data-change={cell.change}
                    title={cell.value === null ? undefined : String(cell.value)}
                  >
                    {cell.value === null ? '' : formatValue(cell.value)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="jp-DataOps-hint">
        {trans.__(
          'Newest period first; a value new in a vintage is in italics, a revised one in bold.'
        )}
      </div>
    </div>
  );
}
