import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IStructure } from '../api';
import { ICascade } from '../cascade';
import { DataModel } from '../model';
import { DimensionSelect } from './DimensionSelect';
import { ErrorMessage } from '../../common/components/ErrorMessage';

/** Props of `Dimensions`. */
export interface IDimensionsProps {
  model: DataModel;
  structure: IStructure;
  trans: TranslationBundle;
}

/** The dataflow's dimensions in DSD order, narrowed by availability when the provider tells. */
export function Dimensions(props: IDimensionsProps): JSX.Element {
  const { model, structure, trans } = props;
  const [showAll, setShowAll] = React.useState(false);
  const state = model.cascade;
  const cascade: ICascade | null =
    state.kind === 'ready'
      ? state.cascade
      : state.kind === 'loading'
        ? state.previous
        : null;
  const selections = model.state.selections;
  return (
    <div className="jp-DataOps-field jp-DataOps-dimensions">
      <div className="jp-DataOps-row jp-DataOps-sectionHead">
        <label>{trans.__('Dimensions')}</label>
        <span className="jp-DataOps-hint" role="status">
          {state.kind === 'loading' &&
            trans.__('Checking which codes have data…')}
          {state.kind === 'ready' &&
            state.cascade.seriesCount !== null &&
            trans._n(
              '%1 series match',
              '%1 series match',
              state.cascade.seriesCount
            )}
        </span>
      </div>
      {state.kind === 'unsupported' && (
        <div className="jp-DataOps-hint">{state.reason}</div>
      )}
      {state.kind === 'error' && (
        <ErrorMessage
          error={state.error}
          trans={trans}
          onRetry={() => model.refreshAvailability()}
        />
      )}
      {cascade && (
        <label className="jp-DataOps-checkbox">
          <input
            type="checkbox"
            checked={showAll}
            onChange={event => setShowAll(event.currentTarget.checked)}
          />
          {trans.__('Show codes without data')}
        </label>
      )}
      {structure.dimensions.map(dim => (
        <DimensionSelect
          key={`${structure.dataflow.id}/${dim.id}`}
          dimension={dim}
          chosen={selections[dim.id] ?? []}
          cascade={cascade}
          showAll={showAll}
          onToggle={code => model.toggle(dim.id, code)}
          onClear={() => model.setSelections({ ...selections, [dim.id]: [] })}
          trans={trans}
        />
      ))}
    </div>
  );
}
