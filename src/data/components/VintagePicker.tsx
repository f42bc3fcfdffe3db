import { TranslationBundle } from '@jupyterlab/translation';
import { HTMLSelect, InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ErrorMessage } from '../../common/components/ErrorMessage';
import { DataModel } from '../model';
import {
  instantProblem,
  IVintage,
  namedVintage,
  vintageNames
} from '../vintages';

/** The picker's entry that opens the date or time field. */
const AT_TIME = '::at-time';

/** Props of `VintagePicker`. */
export interface IVintagePickerProps {
  model: DataModel;
  trans: TranslationBundle;
}

/** Who wrote a vintage, when and why, in one line. */
export function vintageSummary(
  vintage: IVintage,
  trans: TranslationBundle
): string {
  const when = vintage.committed_at.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const parts = [when, vintage.who, vintage.message].filter(p => p);
  if (vintage.total_rows !== null && vintage.total_rows !== undefined) {
    parts.push(
      trans.__('%1 observations', vintage.total_rows.toLocaleString())
    );
  }
  return parts.join(' · ');
}

/**
 * Which version of a store source's dataflow to read: the latest (default), a named vintage, or
 * the one current at a date or time. The preview reads it and the inserted code says `as_of=`.
 */
export function VintagePicker(props: IVintagePickerProps): JSX.Element {
  const { model, trans } = props;
  const vintages = model.history.vintages;
  const asOf = model.state.asOf;
  const all = vintages.kind === 'ready' ? vintages.value : [];
  const names = vintageNames(all);
  // Whether the time field was chosen; a vintage given before the names arrive (a run's link
  // opening the panel) must not count as a time because it is not listed yet.
  const [atTime, setAtTime] = React.useState(
    asOf !== '' && vintages.kind === 'ready' && !names.includes(asOf)
  );
  // A saved or typed time that is not a name keeps the time field open once the names are known.
  const timeMode =
    atTime ||
    (asOf !== '' && vintages.kind === 'ready' && !names.includes(asOf));
  const picked = namedVintage(all, asOf);
  const problem = timeMode ? instantProblem(asOf) : null;
  if (vintages.kind === 'error') {
    return (
      <ErrorMessage
        error={vintages.error}
        trans={trans}
        title={trans.__('The vintages cannot be listed')}
        onRetry={() =>
          void model.history.loadVintages(
            model.state.source ?? '',
            model.state.flow ?? ''
          )
        }
      />
    );
  }
  return (
    <div className="jp-DataOps-field jp-DataOps-vintage">
      <label htmlFor="jp-DataOps-vintage">{trans.__('Vintage')}</label>
      <div className="jp-DataOps-row">
        <HTMLSelect
          id="jp-DataOps-vintage"
          value={timeMode ? AT_TIME : asOf}
          disabled={vintages.kind !== 'ready'}
          onChange={event => {
            const value = event.currentTarget.value;
            setAtTime(value === AT_TIME);
            model.setAsOf(value === AT_TIME ? '' : value);
          }}
        >
          <option value="">
            {vintages.kind === 'loading'
              ? trans.__('Loading the vintages…')
              : trans.__('Latest')}
          </option>
          {names.map(name => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
          <option value={AT_TIME}>{trans.__('At a date or time…')}</option>
        </HTMLSelect>
        {timeMode && (
          <InputGroup
            value={asOf}
            placeholder={trans.__('e.g. %1', '2026-11-30')}
            aria-label={trans.__('Vintage at a date or time')}
            onChange={event => model.setAsOf(event.currentTarget.value)}
          />
        )}
      </div>
      {model.openProblem ? (
        <div className="jp-DataOps-fieldError" role="alert">
          {model.openProblem}
        </div>
      ) : (
        problem && (
          <div className="jp-DataOps-fieldError" role="alert">
            {problem}
          </div>
        )
      )}
      {vintages.kind === 'ready' && (
        <div className="jp-DataOps-hint jp-DataOps-vintageInfo">
          {all.length === 0
            ? trans.__('Nothing has been written to this dataflow yet.')
            : picked
              ? vintageSummary(picked, trans)
              : timeMode
                ? trans.__(
                    'The last vintage written by then (a date means its end, UTC).'
                  )
                : trans.__(
                    '%1 vintages; the latest: %2',
                    all.length,
                    vintageSummary(all[all.length - 1], trans)
                  )}
        </div>
      )}
    </div>
  );
}
