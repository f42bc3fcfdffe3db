import { TranslationBundle } from '@jupyterlab/translation';
import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ICode, IDimension } from '../api';
import { dimensionCounts, ICascade } from '../cascade';
import { VirtualList } from '../../common/components/VirtualList';

const ROW_HEIGHT = 24;

/** Props of `DimensionSelect`. */
export interface IDimensionSelectProps {
  dimension: IDimension;
  chosen: string[];
  /** The narrowing by the other dimensions' choices, when known. */
  cascade: ICascade | null;
  showAll: boolean;
  onToggle: (code: string) => void;
  onClear: () => void;
  trans: TranslationBundle;
}

/** Codes to list: matching the filter, with data (unless `showAll`), chosen ones always. */
export function visibleCodes(
  dimension: IDimension,
  chosen: string[],
  cascade: ICascade | null,
  showAll: boolean,
  filter: string
): ICode[] {
  const available = cascade?.available[dimension.id];
  const withData = available && !showAll ? new Set(available) : null;
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return dimension.codes.filter(code => {
    const text = `${code.id} ${code.name}`.toLowerCase();
    if (!words.every(w => text.includes(w))) {
      return false;
    }
    return !withData || withData.has(code.id) || chosen.includes(code.id);
  });
}

/** One dimension: its codes (code and name) as a filterable multi-select. */
export function DimensionSelect(props: IDimensionSelectProps): JSX.Element {
  const { dimension, chosen, cascade, showAll, onToggle, onClear, trans } =
    props;
  const [filter, setFilter] = React.useState('');
  const codes = visibleCodes(dimension, chosen, cascade, showAll, filter);
  const counts = dimensionCounts(dimension, cascade);
  const available = new Set(cascade?.available[dimension.id] ?? []);
  const narrowed = cascade?.available[dimension.id] !== undefined;
  return (
    <details
      className="jp-DataOps-dimension"
      data-dimension={dimension.id}
      open={chosen.length > 0 || undefined}
    >
      <summary>
        <span className="jp-DataOps-dimensionId">{dimension.id}</span>
        <span className="jp-DataOps-dimensionName">{dimension.name}</span>
        <span className="jp-DataOps-dimensionCount">
          {narrowed
            ? trans.__('%1 of %2 with data', counts.available, counts.total)
            : trans._n('%1 code', '%1 codes', counts.total)}
          {chosen.length > 0 && ' · ' + trans.__('%1 chosen', chosen.join('+'))}
        </span>
      </summary>
      <div className="jp-DataOps-row">
        {dimension.codes.length > 8 && (
          <InputGroup
            type="search"
            placeholder={trans.__('Filter codes')}
            aria-label={trans.__('Filter the codes of %1', dimension.id)}
            value={filter}
            onChange={event => setFilter(event.currentTarget.value)}
          />
        )}
        {chosen.length > 0 && (
          <button className="jp-DataOps-linkButton" onClick={onClear}>
            {trans.__('Any')}
          </button>
        )}
      </div>
      {codes.length === 0 ? (
        <div className="jp-DataOps-hint">{trans.__('No code matches.')}</div>
      ) : (
        <VirtualList
          count={codes.length}
          rowHeight={ROW_HEIGHT}
          height={168}
          label={trans.__('Codes of %1', dimension.id)}
          renderRow={(index, style) => {
            const code = codes[index];
            const noData = narrowed && !available.has(code.id);
            return (
              <label
                key={code.id}
                style={style}
                className="jp-DataOps-codeRow"
                data-code={code.id}
                data-nodata={noData || undefined}
                title={
                  noData
                    ? trans.__('No data under the other choices')
                    : code.name
                }
              >
                <input
                  type="checkbox"
                  checked={chosen.includes(code.id)}
                  onChange={() => onToggle(code.id)}
                />
                <code>{code.id}</code>
                <span>{code.name}</span>
              </label>
            );
          }}
        />
      )}
    </details>
  );
}
