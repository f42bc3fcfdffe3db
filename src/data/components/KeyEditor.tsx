import { TranslationBundle } from '@jupyterlab/translation';
import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { DataModel } from '../model';

/** Props of `KeyEditor`. */
export interface IKeyEditorProps {
  model: DataModel;
  trans: TranslationBundle;
}

/**
 * The series key, editable both ways: choosing codes rewrites it, and typing a
 * key (`M.USD+JPY.EUR.SP00.A`) changes the choices as soon as it is valid.
 */
export function KeyEditor(props: IKeyEditorProps): JSX.Element {
  const { model, trans } = props;
  const key = model.key;
  const [draft, setDraft] = React.useState(key);
  const [problem, setProblem] = React.useState<string | null>(null);
  // A change made by clicking codes replaces whatever was being typed.
  const applied = React.useRef(key);
  React.useEffect(() => {
    if (key !== applied.current) {
      applied.current = key;
      setDraft(key);
      setProblem(null);
    }
  }, [key]);
  const onChange = (text: string) => {
    setDraft(text);
    const reason = model.setKey(text);
    setProblem(reason);
    if (!reason) {
      applied.current = model.key;
    }
  };
  const dims =
    model.structure.kind === 'ready' ? model.structure.value.dimensions : [];
  return (
    <div className="jp-DataOps-field jp-DataOps-keyEditor">
      <label htmlFor="jp-DataOps-key">{trans.__('Series key')}</label>
      <InputGroup
        id="jp-DataOps-key"
        className="jp-DataOps-keyInput"
        value={draft}
        spellCheck={false}
        placeholder={dims.map(() => '').join('.') || trans.__('all')}
        aria-invalid={problem !== null}
        aria-describedby="jp-DataOps-keyHelp"
        onChange={event => onChange(event.currentTarget.value)}
      />
      <div
        id="jp-DataOps-keyHelp"
        className={problem ? 'jp-DataOps-fieldError' : 'jp-DataOps-hint'}
        role={problem ? 'alert' : undefined}
      >
        {problem ??
          trans.__(
            'Positions in order %1; an empty position means any code, + joins codes.',
            dims.map(d => d.id).join('.')
          )}
      </div>
    </div>
  );
}
