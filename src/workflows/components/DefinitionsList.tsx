import { TranslationBundle } from '@jupyterlab/translation';
import { Button, InputGroup, runIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IProcessDefinition, IRun } from '../api';
import { StatusChip } from './StatusChip';

/** Props of `DefinitionsList`. */
export interface IDefinitionsListProps {
  definitions: IProcessDefinition[];
  lastRun: Record<string, IRun>;
  onOpen: (definition: IProcessDefinition) => void;
  onStart: (definition: IProcessDefinition) => void;
  /** Why the user may not start runs here (JupyterHub), or null. */
  startDenied?: string | null;
  trans: TranslationBundle;
}

/** Latest process definitions with the status of their last run; searchable. */
export function DefinitionsList(props: IDefinitionsListProps): JSX.Element {
  const { trans } = props;
  const [query, setQuery] = React.useState('');
  const needle = query.trim().toLowerCase();
  const shown = props.definitions.filter(
    d =>
      !needle ||
      d.key.toLowerCase().includes(needle) ||
      (d.name ?? '').toLowerCase().includes(needle)
  );
  return (
    <section
      className="jp-DataOps-wf-section"
      aria-label={trans.__('Process definitions')}
    >
      <h3>{trans.__('Processes')}</h3>
      <InputGroup
        type="search"
        rightIcon="ui-components:search"
        aria-label={trans.__('Search processes')}
        placeholder={trans.__('Search processes')}
        value={query}
        onChange={e => setQuery(e.currentTarget.value)}
      />
      {shown.length === 0 && (
        <p className="jp-DataOps-wf-empty">
          {props.definitions.length
            ? trans.__('No process matches "%1".', query)
            : trans.__(
                'No process is published. Publish a .bpmn file from the file browser (right-click → Publish to workflow engine).'
              )}
        </p>
      )}
      <ul className="jp-DataOps-wf-list">
        {shown.map(d => {
          const last = props.lastRun[d.key];
          return (
            <li
              key={d.id}
              className="jp-DataOps-wf-definition"
              data-key={d.key}
            >
              <button
                className="jp-DataOps-wf-linkButton"
                onClick={() => props.onOpen(d)}
                title={trans.__('Show the diagram of %1', d.name || d.key)}
              >
                <span className="jp-DataOps-wf-name">{d.name || d.key}</span>
                <span className="jp-DataOps-wf-meta">
                  {trans.__('%1 · version %2', d.key, d.version)}
                </span>
              </button>
              {last && <StatusChip status={last.status} trans={trans} />}
              <Button
                small
                minimal
                className="jp-DataOps-wf-start"
                aria-label={trans.__('Start %1', d.name || d.key)}
                title={
                  props.startDenied ??
                  trans.__('Start a run of %1', d.name || d.key)
                }
                disabled={!!props.startDenied}
                onClick={() => props.onStart(d)}
              >
                <runIcon.react tag="span" />
              </Button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
