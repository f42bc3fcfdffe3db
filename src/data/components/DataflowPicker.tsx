import { TranslationBundle } from '@jupyterlab/translation';
import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { DataflowList } from '../flows';
import { DataModel } from '../model';
import { ErrorMessage } from '../../common/components/ErrorMessage';
import { useDebounced, useSignal } from './hooks';
import { VirtualList } from '../../common/components/VirtualList';

const ROW_HEIGHT = 40;

/** Props of `DataflowPicker`. */
export interface IDataflowPickerProps {
  model: DataModel;
  flows: DataflowList;
  trans: TranslationBundle;
}

/** Search the source's dataflows by id or name and pick one. */
export function DataflowPicker(props: IDataflowPickerProps): JSX.Element {
  const { model, flows, trans } = props;
  useSignal(flows.changed);
  const [search, setSearch] = React.useState(flows.search);
  const settled = useDebounced(search, 200);
  React.useEffect(() => {
    if (settled !== flows.search) {
      void flows.setSearch(settled);
    }
  }, [settled, flows]);
  const onRange = React.useCallback(
    (first: number, last: number) => void flows.ensure(first, last),
    [flows]
  );
  const chosen = model.state.flow;
  const total = flows.total;
  return (
    <div className="jp-DataOps-field jp-DataOps-flowPicker">
      <label htmlFor="jp-DataOps-flowSearch">{trans.__('Dataflow')}</label>
      <InputGroup
        id="jp-DataOps-flowSearch"
        type="search"
        placeholder={trans.__('Search by id or name')}
        value={search}
        onChange={event => setSearch(event.currentTarget.value)}
        rightIcon="ui-components:search"
      />
      <div className="jp-DataOps-hint" role="status">
        {total === null
          ? flows.error
            ? ''
            : trans.__('Loading dataflows…')
          : trans._n('%1 dataflow', '%1 dataflows', total)}
      </div>
      {flows.error && (
        <ErrorMessage
          error={flows.error}
          trans={trans}
          onRetry={() => void flows.retry()}
        />
      )}
      {total !== null && total > 0 && (
        <VirtualList
          className="jp-DataOps-flowList"
          count={total}
          rowHeight={ROW_HEIGHT}
          height={200}
          onRange={onRange}
          label={trans.__('Dataflows')}
          role="listbox"
          renderRow={(index, style) => {
            const flow = flows.at(index);
            const selected = flow?.id === chosen;
            return (
              <div
                key={index}
                style={style}
                className="jp-DataOps-flowRow"
                role="option"
                aria-selected={selected}
                tabIndex={0}
                data-flow={flow?.id}
                onClick={() => flow && void model.selectFlow(flow.id)}
                onKeyDown={event => {
                  if (flow && (event.key === 'Enter' || event.key === ' ')) {
                    event.preventDefault();
                    void model.selectFlow(flow.id);
                  }
                }}
              >
                {flow ? (
                  <>
                    <span className="jp-DataOps-flowId">{flow.id}</span>
                    <span className="jp-DataOps-flowName" title={flow.name}>
                      {flow.name}
                    </span>
                  </>
                ) : (
                  <span className="jp-DataOps-hint">
                    {trans.__('Loading…')}
                  </span>
                )}
              </div>
            );
          }}
        />
      )}
    </div>
  );
}
