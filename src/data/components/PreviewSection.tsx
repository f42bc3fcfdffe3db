import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { chartData, IPreview } from '../arrow';
import { DataModel } from '../model';
import { formatDuration } from '../../common/duration';
import { ErrorMessage } from '../../common/components/ErrorMessage';
import { PreviewChart } from './PreviewChart';
import { PreviewGrid } from './PreviewGrid';
import { vintageSummary } from './VintagePicker';

/** How the preview looks (from the settings). */
export interface IPreviewOptions {
  chart: 'vega-lite' | 'svg' | 'none';
  chartSeries: number;
}

/** Props of `PreviewSection`. */
export interface IPreviewSectionProps {
  model: DataModel;
  rendermime: IRenderMimeRegistry | null;
  options: IPreviewOptions;
  trans: TranslationBundle;
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1);
}

/** The Preview button, its progress and cancel, then counts, URL, grid and chart. */
export function PreviewSection(props: IPreviewSectionProps): JSX.Element {
  const { model, trans } = props;
  const state = model.preview.state;
  const loading = state.kind === 'loading';
  return (
    <div className="jp-DataOps-field jp-DataOps-preview">
      <div className="jp-DataOps-row">
        <Button
          small
          disabled={loading}
          onClick={() => void model.runPreview()}
          className="jp-DataOps-previewButton"
        >
          {trans.__('Preview')}
        </Button>
        {loading && (
          <Button small minimal onClick={() => model.preview.cancel()}>
            {trans.__('Cancel')}
          </Button>
        )}
      </div>
      {loading && (
        <div className="jp-DataOps-progress" role="status">
          <progress aria-label={trans.__('Loading the preview')} />
          <span>
            {state.bytes > 0
              ? trans.__('Received %1 MB…', megabytes(state.bytes))
              : trans.__('Waiting for the provider…')}
          </span>
        </div>
      )}
      {state.kind === 'cancelled' && (
        <div className="jp-DataOps-hint" role="status">
          {trans.__('Preview cancelled.')}
        </div>
      )}
      {state.kind === 'error' && (
        <ErrorMessage
          error={state.error}
          trans={trans}
          onRetry={() => void model.runPreview()}
        />
      )}
      {state.kind === 'ready' && (
        <PreviewResult
          {...props}
          preview={state.preview}
          elapsedMs={state.elapsedMs}
        />
      )}
    </div>
  );
}

function PreviewResult(
  props: IPreviewSectionProps & { preview: IPreview; elapsedMs: number }
): JSX.Element {
  const { preview, rendermime, options, trans } = props;
  const { info } = preview;
  const chart = React.useMemo(
    () => chartData(preview, options.chartSeries),
    [preview, options.chartSeries]
  );
  return (
    <div className="jp-DataOps-previewResult">
      <div className="jp-DataOps-counts" role="status">
        {trans.__(
          '%1 observations in %2 series (%3)',
          info.observations.toLocaleString(),
          info.series.toLocaleString(),
          formatDuration(props.elapsedMs / 1000)
        )}
      </div>
      {info.vintage && (
        <div className="jp-DataOps-hint jp-DataOps-vintageRead" role="note">
          {trans.__(
            'Vintage read: %1 (%2)',
            info.vintage.tags.join(', ') || trans.__('unnamed'),
            vintageSummary(info.vintage, trans)
          )}
        </div>
      )}
      {info.truncated && (
        <div className="jp-DataOps-message jp-DataOps-truncated" role="note">
          {trans.__(
            'The selection has %1 series; the preview shows the first %2. The inserted code reads them all.',
            info.series_total.toLocaleString(),
            info.series.toLocaleString()
          )}
        </div>
      )}
      <div className="jp-DataOps-queryUrl">
        <span>{trans.__('Query URL')}</span>
        <code title={info.url}>{info.url}</code>
      </div>
      <PreviewGrid preview={preview} label={trans.__('Preview table')} />
      {options.chart !== 'none' && chart.points.length > 0 && (
        <>
          <PreviewChart
            data={chart}
            rendermime={rendermime}
            renderer={options.chart}
            label={trans.__('Line chart of %1 series', chart.series.length)}
          />
          {chart.omittedSeries > 0 && (
            <div className="jp-DataOps-hint">
              {trans.__(
                'The chart draws the first %1 series.',
                chart.series.length
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}
