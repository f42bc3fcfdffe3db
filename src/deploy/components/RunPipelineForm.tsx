import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

/** Variables the generated `.gitlab-ci.yml` understands (suggested, not required). */
export const KNOWN_VARIABLES = [
  'DATAOPS_SKIP_DEPLOY',
  'DATAOPS_NOTEBOOK_LIST',
  'DATAOPS_BASELINE',
  'DATAOPS_TOLERANCE',
  'DATAOPS_TIMEOUT'
];

interface IRow {
  key: string;
  value: string;
}

/** Props of `RunPipelineForm`. */
export interface IRunPipelineFormProps {
  env: string;
  branch: string;
  trans: TranslationBundle;
  onRun: (variables: Record<string, string>) => Promise<void>;
  onCancel: () => void;
}

/** Variables for a new pipeline on the environment's branch, then Run. */
export function RunPipelineForm(props: IRunPipelineFormProps): JSX.Element {
  const { env, branch, trans, onRun, onCancel } = props;
  const [rows, setRows] = React.useState<IRow[]>([{ key: '', value: '' }]);
  const [busy, setBusy] = React.useState(false);
  const listId = `jp-dataops-vars-${env}`;
  const set = (i: number, patch: Partial<IRow>) =>
    setRows(rows.map((r, j) => (i === j ? { ...r, ...patch } : r)));
  const names = rows.map(r => r.key.trim()).filter(Boolean);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const variables: Record<string, string> = {};
    for (const r of rows) {
      if (r.key.trim()) {
        variables[r.key.trim()] = r.value;
      }
    }
    setBusy(true);
    try {
      await onRun(variables);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="jp-DataOps-runForm" onSubmit={e => void submit(e)}>
      <p className="jp-DataOps-muted">
        {trans.__('New pipeline on %1', branch)}
      </p>
      <datalist id={listId}>
        {KNOWN_VARIABLES.map(name => (
          <option key={name} value={name} />
        ))}
      </datalist>
      {rows.map((row, i) => (
        <div className="jp-DataOps-varRow" key={i}>
          <input
            className="jp-mod-styled"
            list={listId}
            placeholder={trans.__('Variable')}
            aria-label={trans.__('Variable name %1', i + 1)}
            value={row.key}
            onChange={e => set(i, { key: e.target.value })}
          />
          <input
            className="jp-mod-styled"
            placeholder={trans.__('Value')}
            aria-label={trans.__('Variable value %1', i + 1)}
            value={row.value}
            onChange={e => set(i, { value: e.target.value })}
          />
          <Button
            minimal
            small
            title={trans.__('Remove this variable')}
            onClick={() => setRows(rows.filter((_, j) => j !== i))}
          >
            ×
          </Button>
        </div>
      ))}
      {duplicate && (
        <p className="jp-DataOps-reason">
          {trans.__('%1 is given twice.', duplicate)}
        </p>
      )}
      <div className="jp-DataOps-formButtons">
        <Button
          small
          minimal
          onClick={() => setRows([...rows, { key: '', value: '' }])}
        >
          {trans.__('Add variable')}
        </Button>
        <Button small minimal onClick={onCancel}>
          {trans.__('Cancel')}
        </Button>
        <Button small type="submit" disabled={busy || duplicate !== undefined}>
          {busy ? trans.__('Starting…') : trans.__('Run pipeline')}
        </Button>
      </div>
    </form>
  );
}
