import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { Capability } from '../../api/status';
import { StatusModel, StatusState } from '../statusModel';
import { ServerProblem } from './ServerProblem';
import { StatusLine } from './StatusLine';

/** Props of `CapabilityPanel`. */
export interface ICapabilityPanelProps {
  model: StatusModel;
  capability: Capability;
  trans: TranslationBundle;
  /** The capability's own content, shown once the server answered. */
  children: (state: StatusState & { kind: 'ready' }) => React.ReactNode;
}

/** Frame shared by the three panels: status line, server problems, then the content. */
export function CapabilityPanel(props: ICapabilityPanelProps): JSX.Element {
  const { model, capability, trans } = props;
  const [state, setState] = React.useState<StatusState>(model.state);
  React.useEffect(() => {
    const onChange = (_: StatusModel, next: StatusState) => setState(next);
    model.changed.connect(onChange);
    setState(model.state);
    return () => {
      model.changed.disconnect(onChange);
    };
  }, [model]);

  return (
    <>
      <StatusLine state={state} capability={capability} trans={trans} />
      <div className="jp-DataOps-panelBody">
        {state.kind === 'failed' && (
          <ServerProblem
            error={state.error}
            onRetry={() => void model.refresh()}
            trans={trans}
          />
        )}
        {state.kind === 'ready' && props.children(state)}
      </div>
    </>
  );
}
