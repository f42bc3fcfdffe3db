import { TranslationBundle } from '@jupyterlab/translation';
import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { DataModel } from '../model';

/** SDMX period syntax accepted by `dataops.read` (year, semester, quarter, month, week, day). */
const PERIOD = /^\d{4}(-(\d{2}|Q[1-4]|S[12]|M\d{2}|W\d{2}|\d{2}-\d{2}))?$/;

/** Why a period bound is not valid, or null. */
export function periodProblem(value: string): string | null {
  const text = value.trim();
  if (text === '' || PERIOD.test(text)) {
    return null;
  }
  return `'${text}' is not a period: use 2020, 2020-Q1, 2020-01 or 2020-01-31.`;
}

/** Props of `PeriodFields`. */
export interface IPeriodFieldsProps {
  model: DataModel;
  trans: TranslationBundle;
}

/** Start and end period, and "last N observations" per series. */
export function PeriodFields(props: IPeriodFieldsProps): JSX.Element {
  const { model, trans } = props;
  const { start, end, last } = model.state;
  const problem = periodProblem(start) ?? periodProblem(end);
  return (
    <div className="jp-DataOps-field jp-DataOps-period">
      <div className="jp-DataOps-row">
        <label>
          {trans.__('From')}
          <InputGroup
            value={start}
            placeholder={trans.__('e.g. %1', '2020-01')}
            aria-label={trans.__('Start period')}
            onChange={event =>
              model.setPeriod({ start: event.currentTarget.value })
            }
          />
        </label>
        <label>
          {trans.__('To')}
          <InputGroup
            value={end}
            placeholder={trans.__('e.g. %1', '2024-12')}
            aria-label={trans.__('End period')}
            onChange={event =>
              model.setPeriod({ end: event.currentTarget.value })
            }
          />
        </label>
        <label>
          {trans.__('Last N')}
          <InputGroup
            type="number"
            min={0}
            value={last > 0 ? String(last) : ''}
            placeholder={trans.__('all')}
            aria-label={trans.__('Last N observations per series')}
            onChange={event => {
              const n = Number.parseInt(event.currentTarget.value, 10);
              model.setPeriod({ last: Number.isFinite(n) && n > 0 ? n : 0 });
            }}
          />
        </label>
      </div>
      {problem && (
        <div className="jp-DataOps-fieldError" role="alert">
          {problem}
        </div>
      )}
    </div>
  );
}
