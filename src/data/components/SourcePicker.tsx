import { TranslationBundle } from '@jupyterlab/translation';
import { Button, HTMLSelect, refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { DataOpsApiError } from '../../api/client';
import { ISource } from '../api';
import { DataModel } from '../model';
import { ErrorMessage } from '../../common/components/ErrorMessage';

/** Props of `SourcePicker`. */
export interface ISourcePickerProps {
  model: DataModel;
  trans: TranslationBundle;
}

function reachText(
  model: DataModel,
  source: ISource,
  trans: TranslationBundle
): string {
  const status = model.reachability[source.id];
  if (!status) {
    return '';
  }
  if (status === 'checking') {
    return trans.__('checking…');
  }
  return !(status instanceof DataOpsApiError) && status.reachable
    ? trans.__('reachable')
    : trans.__('unreachable');
}

/** Choose a source: configured ones first, each with whether it answers. */
export function SourcePicker(props: ISourcePickerProps): JSX.Element {
  const { model, trans } = props;
  const sources = model.sources;
  if (sources.kind === 'error') {
    return (
      <ErrorMessage
        error={sources.error}
        trans={trans}
        onRetry={() => void model.loadSources()}
      />
    );
  }
  const all = sources.kind === 'ready' ? sources.value : [];
  const option = (s: ISource) => (
    <option key={s.id} value={s.id}>
      {`${s.name} (${s.id}) — ${reachText(model, s, trans)}`}
    </option>
  );
  const current = model.source;
  const status = current ? model.reachability[current.id] : undefined;
  const state =
    status === undefined || status === 'checking'
      ? 'checking'
      : !(status instanceof DataOpsApiError) && status.reachable
        ? 'ok'
        : 'error';
  return (
    <div className="jp-DataOps-field jp-DataOps-sourcePicker">
      <label htmlFor="jp-DataOps-source">{trans.__('Source')}</label>
      <div className="jp-DataOps-row">
        <HTMLSelect
          id="jp-DataOps-source"
          value={current?.id ?? ''}
          onChange={event => void model.selectSource(event.currentTarget.value)}
          disabled={sources.kind !== 'ready'}
        >
          <option value="" disabled>
            {sources.kind === 'ready'
              ? trans.__('Choose a data source…')
              : trans.__('Loading sources…')}
          </option>
          <optgroup label={trans.__('Configured')}>
            {all.filter(s => !s.preset).map(option)}
          </optgroup>
          <optgroup label={trans.__('Public providers')}>
            {all.filter(s => s.preset).map(option)}
          </optgroup>
        </HTMLSelect>
        <Button
          minimal
          small
          title={trans.__('Reload the sources and check them again')}
          aria-label={trans.__('Reload sources')}
          onClick={() => void model.loadSources()}
        >
          <refreshIcon.react tag="span" />
        </Button>
      </div>
      {current && (
        <div className="jp-DataOps-reach" data-state={state} role="status">
          {status === undefined || status === 'checking'
            ? trans.__('Checking whether %1 answers…', current.name)
            : status instanceof DataOpsApiError
              ? trans.__('Unreachable: %1', status.message)
              : status.reachable
                ? trans.__(
                    'Reachable (%1, %2 ms)',
                    status.message,
                    status.latency_ms
                  )
                : trans.__('Unreachable: %1', status.message)}
          <span className="jp-DataOps-sourceUrl">{current.url}</span>
        </div>
      )}
    </div>
  );
}
