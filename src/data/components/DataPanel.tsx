import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import * as React from 'react';

import { CapabilityPanel } from '../../common/components/CapabilityPanel';
import { StatusModel } from '../../common/statusModel';
import { DataModel } from '../model';
import { CodeActions } from './CodeActions';
import { DataflowPicker } from './DataflowPicker';
import { Dimensions } from './Dimensions';
import { ErrorMessage } from '../../common/components/ErrorMessage';
import { useSignal } from './hooks';
import { KeyEditor } from './KeyEditor';
import { PeriodFields } from './PeriodFields';
import { IPreviewOptions, PreviewSection } from './PreviewSection';
import { RevisionsView } from './RevisionsView';
import { SourcePicker } from './SourcePicker';
import { VintagePicker } from './VintagePicker';

/** Props of `DataPanel`. */
export interface IDataPanelProps {
  status: StatusModel;
  model: DataModel;
  commands: CommandRegistry;
  rendermime: IRenderMimeRegistry | null;
  /** Name of the notebook code would go into, or null. */
  notebook: string | null;
  options: IPreviewOptions;
  trans: TranslationBundle;
}

/** Content of the Data sidebar panel: source → dataflow → codes → preview → code. */
export function DataPanel(props: IDataPanelProps): JSX.Element {
  const { status, trans } = props;
  return (
    <CapabilityPanel model={status} capability="data" trans={trans}>
      {() => <DataBrowser {...props} />}
    </CapabilityPanel>
  );
}

function DataBrowser(props: IDataPanelProps): JSX.Element {
  const { model, trans } = props;
  useSignal(model.changed);
  const flows = model.flows;
  const structure = model.structure;
  const code = model.code;
  const preview = model.preview.state;
  return (
    <div className="jp-DataOps-data">
      {!model.source && (
        <p className="jp-DataOps-intro">
          {trans.__(
            'Browse SDMX data sources, pick a dataflow and a series key, preview it and insert the code that reads it into your notebook.'
          )}
        </p>
      )}
      <SourcePicker model={model} trans={trans} />
      {flows && (
        <DataflowPicker
          key={model.state.source}
          model={model}
          flows={flows}
          trans={trans}
        />
      )}
      {structure.kind === 'loading' && (
        <div className="jp-DataOps-hint" role="status">
          {trans.__('Loading the structure of %1…', model.state.flow ?? '')}
        </div>
      )}
      {structure.kind === 'error' && (
        <ErrorMessage
          error={structure.error}
          trans={trans}
          onRetry={() => void model.retryStructure()}
        />
      )}
      {structure.kind === 'ready' && (
        <>
          <h3 className="jp-DataOps-flowTitle">
            {structure.value.dataflow.name}{' '}
            <span className="jp-DataOps-hint">
              {`${structure.value.dataflow.agency}:${structure.value.dataflow.id}(${structure.value.dataflow.version})`}
            </span>
          </h3>
          <Dimensions model={model} structure={structure.value} trans={trans} />
          <KeyEditor model={model} trans={trans} />
          <PeriodFields model={model} trans={trans} />
          {model.isStore && (
            <VintagePicker
              key={`${model.state.source}/${model.state.flow}`}
              model={model}
              trans={trans}
            />
          )}
          <PreviewSection
            model={model}
            rendermime={props.rendermime}
            options={props.options}
            trans={trans}
          />
          {model.isStore && (
            <RevisionsView
              model={model}
              rendermime={props.rendermime}
              options={props.options}
              trans={trans}
            />
          )}
          {code && (
            <CodeActions
              code={code}
              commands={props.commands}
              notebook={props.notebook}
              url={preview.kind === 'ready' ? preview.preview.info.url : null}
              trans={trans}
            />
          )}
        </>
      )}
    </div>
  );
}
