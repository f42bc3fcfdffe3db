import { ServerConnection } from '@jupyterlab/services';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { asApiError } from '../../api/client';
import { fetchConfig, fetchListing, IConfigForm, saveConfig } from '../api';
import { collectValues, fieldsOf, toText } from '../schemaForm';

/** What the Process configuration form needs. */
export interface IConfigFormProps {
  settings?: ServerConnection.ISettings;
  onPromote: (path: string) => void;
}

/** A process's configuration as a form generated from its JSON Schema; saved under a new version. */
export function ConfigForm(props: IConfigFormProps): JSX.Element {
  const { settings } = props;
  const [keys, setKeys] = React.useState<string[]>([]);
  const [key, setKey] = React.useState('');
  const [form, setForm] = React.useState<IConfigForm | null>(null);
  const [texts, setTexts] = React.useState<Record<string, string>>({});
  const [version, setVersion] = React.useState('');
  const [message, setMessage] = React.useState('');
  const [error, setError] = React.useState('');
  const fail = (e: unknown) => setError(asApiError(e).message);

  React.useEffect(() => {
    fetchListing(settings)
      .then(l => {
        setKeys(l.processes);
        setKey(l.processes[0] ?? '');
      })
      .catch(fail);
  }, []);

  const load = () =>
    fetchConfig(key, settings)
      .then(f => {
        setForm(f);
        setTexts(
          Object.fromEntries(
            fieldsOf(f.schema).map(x => [x.key, toText(x, f.values[x.key])])
          )
        );
        setVersion(f.next_version);
        setError(f.problem);
      })
      .catch(fail);

  React.useEffect(() => {
    if (key) {
      setMessage('');
      void load();
    }
  }, [key]);

  const fields = form ? fieldsOf(form.schema) : [];
  const save = async () => {
    if (!form) {
      return;
    }
    const collected = collectValues(fields, form.values, texts);
    if ('error' in collected) {
      setError(collected.error);
      return;
    }
    try {
      const done = await saveConfig(key, collected.values, version, settings);
      setMessage(`Saved ${done.file} (version ${done.version}).`);
      setError('');
      await load();
    } catch (e) {
      fail(e);
    }
  };

  return (
    <div className="jp-DataOps-metaEditor jp-DataOps-configForm">
      <label>
        Process{' '}
        <select
          aria-label="Process"
          value={key}
          onChange={e => setKey(e.currentTarget.value)}
        >
          {keys.map(k => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      {!keys.length && (
        <p className="jp-DataOps-muted">
          No processes/&lt;key&gt;.toml in the folder you work in.
        </p>
      )}
      {error && (
        <div className="jp-DataOps-message" data-kind="error" role="alert">
          {error}
        </div>
      )}
      {form && (
        <form onSubmit={e => (e.preventDefault(), void save())}>
          <p className="jp-DataOps-muted">
            {form.file}, version {form.version}; checked against{' '}
            {form.schema_file}
          </p>
          {fields.map(f => (
            <label
              key={f.key}
              className="jp-DataOps-metaField"
              title={f.description}
            >
              {f.title}
              {f.required ? ' *' : ''}{' '}
              {f.type === 'boolean' ? (
                <input
                  type="checkbox"
                  aria-label={f.title}
                  checked={texts[f.key] === 'true'}
                  onChange={e =>
                    setTexts({
                      ...texts,
                      [f.key]: String(e.currentTarget.checked)
                    })
                  }
                />
              ) : f.choices ? (
                <select
                  aria-label={f.title}
                  value={texts[f.key] ?? ''}
                  onChange={e =>
                    setTexts({ ...texts, [f.key]: e.currentTarget.value })
                  }
                >
                  {!f.required && <option value="" />}
                  {f.choices.map(c => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  aria-label={f.title}
                  value={texts[f.key] ?? ''}
                  placeholder={
                    f.type === 'list'
                      ? 'a, b, c'
                      : f.minimum !== null || f.maximum !== null
                        ? `${f.minimum ?? ''}…${f.maximum ?? ''}`
                        : ''
                  }
                  onChange={e =>
                    setTexts({ ...texts, [f.key]: e.currentTarget.value })
                  }
                />
              )}
            </label>
          ))}
          <label className="jp-DataOps-metaField">
            New version{' '}
            <input
              aria-label="New version"
              value={version}
              onChange={e => setVersion(e.currentTarget.value)}
            />
          </label>
          <Button type="submit">Save</Button>
        </form>
      )}
      {message && (
        <div className="jp-DataOps-message" role="status">
          {message}{' '}
          {form && (
            <Button small onClick={() => props.onPromote(form.file)}>
              Promote…
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
