import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { asApiError, DataOpsApiError } from '../../api/client';
import { CapabilityPanel } from '../../common/components/CapabilityPanel';
import { ErrorMessage } from '../../common/components/ErrorMessage';
import { StatusModel } from '../../common/statusModel';
import { METADATA_EDITORS } from '../../metadata/commands';
import { DeployModel, IDeployEnvironment } from '../deployModel';
import { DashboardList } from './DashboardList';
import { OpenJob, PipelineRow } from './PipelineRow';
import { PromotionHistory } from './PromotionHistory';
import { RunPipelineForm } from './RunPipelineForm';

/** Props of `DeployPanel`. */
export interface IDeployPanelProps {
  status: StatusModel;
  model: DeployModel;
  trans: TranslationBundle;
  onOpenJob: OpenJob;
  /** Report a pipeline start (with Notification). */
  onRun: (env: string, variables: Record<string, string>) => Promise<void>;
  /** Open a metadata editor (its command) to work against environment `env`. */
  onOpenMetadata?: (command: string, env: string) => void;
  /** Open the Promote dialog for the current file as a dashboard (absent: no button). */
  onPublishDashboard?: () => void;
}

/** Content of the Deploy sidebar panel: per environment, promotions and pipelines. */
export function DeployPanel(props: IDeployPanelProps): JSX.Element {
  const { status, trans } = props;
  return (
    <CapabilityPanel model={status} capability="promotion" trans={trans}>
      {ready =>
        ready.reply.capabilities.promotion.configured ? (
          <Environments {...props} />
        ) : (
          <p className="jp-DataOps-intro">
            {trans.__(
              'Promote notebooks, steps and workflow definitions to deployment environments and follow their pipelines.'
            )}
          </p>
        )
      }
    </CapabilityPanel>
  );
}

function Environments(props: IDeployPanelProps): JSX.Element {
  const { model, trans } = props;
  const [, setVersion] = React.useState(0);
  React.useEffect(() => {
    const update = () => setVersion(v => v + 1);
    model.changed.connect(update);
    model.setVisible(true);
    return () => {
      model.changed.disconnect(update);
      model.setVisible(false);
    };
  }, [model]);
  if (model.error) {
    return (
      <ErrorMessage
        error={model.error}
        onRetry={() => void model.refresh()}
        trans={trans}
      />
    );
  }
  if (!model.environments) {
    return (
      <p className="jp-DataOps-muted">{trans.__('Loading environments…')}</p>
    );
  }
  return (
    <div className="jp-DataOps-environments">
      {props.onPublishDashboard && (
        <Button
          small
          minimal
          className="jp-DataOps-publishDashboardButton"
          title={trans.__(
            'Promote the open notebook or Shiny app under dashboards/ (review, secret scan, commit)'
          )}
          onClick={props.onPublishDashboard}
        >
          {trans.__('Publish as dashboard…')}
        </Button>
      )}
      {model.environments.map(env => (
        <EnvironmentSection key={env.pipelines.id} env={env} {...props} />
      ))}
    </div>
  );
}

function EnvironmentSection(
  props: IDeployPanelProps & { env: IDeployEnvironment }
): JSX.Element {
  const { env, model, trans, onOpenJob, onRun, onOpenMetadata } = props;
  const id = env.pipelines.id;
  const [running, setRunning] = React.useState(false);
  const [runError, setRunError] = React.useState<DataOpsApiError | null>(null);
  const list = model.list.byEnv[id];
  const promotions = model.list.promotions[id] ?? [];
  const mayRun = env.promotion?.may_promote ?? false;
  const whyNot = !env.pipelines.pipelines
    ? env.pipelines.reason
    : mayRun
      ? ''
      : (env.promotion?.reason ?? '');
  return (
    <section className="jp-DataOps-env" data-env={id} aria-label={id}>
      <header className="jp-DataOps-envHead">
        <h3>{env.promotion?.label || id}</h3>
        <code>{env.pipelines.branch}</code>
        {env.pipelines.pipelines && (
          <Button
            small
            minimal
            className="jp-DataOps-runButton"
            disabled={!mayRun || running}
            title={
              whyNot || trans.__('Start a pipeline on %1', env.pipelines.branch)
            }
            onClick={() => setRunning(true)}
          >
            {trans.__('Run pipeline')}
          </Button>
        )}
      </header>
      {whyNot && <p className="jp-DataOps-muted">{whyNot}</p>}
      {onOpenMetadata && (
        <div
          className="jp-DataOps-envMetadata"
          role="group"
          aria-label={trans.__('Metadata of %1', id)}
        >
          <span className="jp-DataOps-muted">{trans.__('Metadata:')}</span>
          {METADATA_EDITORS.map(editor => (
            <Button
              key={editor.command}
              small
              minimal
              title={trans.__(
                'Edit in the working copy, compared with %1',
                env.pipelines.branch
              )}
              onClick={() => onOpenMetadata(editor.command, id)}
            >
              {trans.__(editor.label)}
            </Button>
          ))}
        </div>
      )}
      {running && (
        <RunPipelineForm
          env={id}
          branch={env.pipelines.branch}
          trans={trans}
          onCancel={() => setRunning(false)}
          onRun={async variables => {
            try {
              await onRun(id, variables);
              setRunning(false);
              setRunError(null);
            } catch (error) {
              setRunError(asApiError(error));
            }
          }}
        />
      )}
      {runError && <ErrorMessage error={runError} trans={trans} />}
      <PromotionHistory
        history={model.history[id]}
        session={promotions}
        pipelines={list?.pipelines ?? []}
        hasPipelines={env.pipelines.pipelines}
        onRetry={() => void model.loadHistory(env)}
        trans={trans}
      />
      <DashboardList dashboards={model.dashboards[id]} trans={trans} />
      {model.dashboards[id]?.error && (
        <ErrorMessage
          error={model.dashboards[id].error!}
          onRetry={() => void model.loadDashboards(env)}
          trans={trans}
        />
      )}
      {list?.error && <ErrorMessage error={list.error} trans={trans} />}
      {env.pipelines.pipelines &&
        list &&
        !list.error &&
        list.pipelines.length === 0 &&
        !list.loading && (
          <p className="jp-DataOps-muted">{trans.__('No pipelines yet.')}</p>
        )}
      <ul className="jp-DataOps-pipelines">
        {(list?.pipelines ?? []).map(p => (
          <PipelineRow
            key={p.id}
            pipeline={p}
            onOpenJob={onOpenJob}
            trans={trans}
          />
        ))}
      </ul>
    </section>
  );
}
