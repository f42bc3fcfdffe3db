import { Dialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  Button,
  closeIcon,
  HTMLSelect,
  InputGroup,
  ReactWidget
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IFormField, IProcessDefinition } from '../api';
import {
  checkStart,
  initialInput,
  IStartInput,
  IStartMessages,
  StartCheck,
  VARIABLE_TYPES
} from '../startForm';

/** Where the error of one input shows. */
function FieldError(props: {
  id: string;
  message?: string;
}): JSX.Element | null {
  return props.message ? (
    <div className="jp-DataOps-wf-fieldError" id={props.id} role="alert">
      {props.message}
    </div>
  ) : null;
}

/** The start dialog's content: form fields or free variables, and the business key. */
class StartBody extends ReactWidget {
  constructor(
    readonly fields: IFormField[],
    prefill: Record<string, string>,
    readonly trans: TranslationBundle
  ) {
    super();
    this.input = initialInput(fields, prefill);
    this.addClass('jp-DataOps-wf-startForm');
  }

  input: IStartInput;
  errors: Record<string, string> = {};

  /** Check the input; on failure the errors show under their fields. */
  check(): StartCheck {
    const t = this.trans;
    const messages: IStartMessages = {
      required: t.__('This field is required.'),
      wholeNumber: t.__('Enter a whole number, e.g. 42.'),
      number: t.__('Enter a number, e.g. 3.14.'),
      date: t.__('Enter a date as YYYY-MM-DD.'),
      option: t.__('Choose one of the options.'),
      name: t.__(
        'A name starts with a letter or _ and holds only letters, digits and _.'
      ),
      duplicate: t.__('This name is used twice.'),
      json: t.__('This is not valid JSON.'),
      boolean: t.__('Enter true or false.')
    };
    const result = checkStart(this.fields, this.input, messages);
    this.errors = result.ok ? {} : result.errors;
    this.update();
    return result;
  }

  getValue(): StartCheck {
    return this.check();
  }

  private set(change: (input: IStartInput) => IStartInput): void {
    this.input = change(this.input);
    this.update();
  }

  private renderField(f: IFormField): JSX.Element {
    const id = `jp-DataOps-wf-start-${f.id}`;
    const error = this.errors[`field:${f.id}`];
    const value = this.input.fields[f.id];
    const setValue = (v: string | boolean) =>
      this.set(i => ({ ...i, fields: { ...i.fields, [f.id]: v } }));
    const common = {
      id,
      'aria-invalid': !!error,
      'aria-describedby': error ? `${id}-error` : undefined
    };
    let control: JSX.Element;
    if (f.type === 'boolean') {
      control = (
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={e => setValue(e.currentTarget.checked)}
        />
      );
    } else if (f.type === 'enum') {
      control = (
        <HTMLSelect
          {...common}
          value={String(value)}
          onChange={e => setValue(e.currentTarget.value)}
          options={[
            ...(f.required ? [] : [{ value: '', label: '—' }]),
            ...Object.entries(f.options).map(([k, label]) => ({
              value: k,
              label
            }))
          ]}
        />
      );
    } else {
      control = (
        <InputGroup
          {...common}
          type={f.type === 'date' ? 'date' : 'text'}
          inputMode={f.type === 'long' ? 'numeric' : undefined}
          value={String(value)}
          onChange={e => setValue(e.currentTarget.value)}
        />
      );
    }
    return (
      <div className="jp-DataOps-wf-formRow" key={f.id} data-field={f.id}>
        <label htmlFor={id}>
          {f.label || f.id}
          {f.required && <span aria-hidden="true"> *</span>}
        </label>
        {control}
        <FieldError id={`${id}-error`} message={error} />
      </div>
    );
  }

  private renderRows(): JSX.Element {
    const t = this.trans;
    const rows = this.input.rows;
    const update = (i: number, change: Partial<IStartInput['rows'][number]>) =>
      this.set(inp => ({
        ...inp,
        rows: inp.rows.map((r, j) => (j === i ? { ...r, ...change } : r))
      }));
    return (
      <fieldset className="jp-DataOps-wf-variables">
        <legend>{t.__('Variables')}</legend>
        {rows.length === 0 && (
          <p className="jp-DataOps-wf-hint">
            {t.__(
              'This process declares no start form; add the variables it needs.'
            )}
          </p>
        )}
        {rows.map((row, i) => (
          <div className="jp-DataOps-wf-varRow" key={i} data-row={i}>
            <InputGroup
              aria-label={t.__('Name of variable %1', i + 1)}
              placeholder={t.__('name')}
              value={row.name}
              aria-invalid={!!this.errors[`row:${i}:name`]}
              onChange={e => update(i, { name: e.currentTarget.value })}
            />
            <HTMLSelect
              aria-label={t.__('Type of variable %1', i + 1)}
              value={row.type}
              onChange={e =>
                update(i, { type: e.currentTarget.value as never })
              }
              options={[...VARIABLE_TYPES]}
            />
            <InputGroup
              aria-label={t.__('Value of variable %1', i + 1)}
              placeholder={t.__('value')}
              value={row.value}
              aria-invalid={!!this.errors[`row:${i}:value`]}
              onChange={e => update(i, { value: e.currentTarget.value })}
            />
            <Button
              minimal
              small
              title={t.__('Remove this variable')}
              aria-label={t.__('Remove variable %1', i + 1)}
              onClick={() =>
                this.set(inp => ({
                  ...inp,
                  rows: inp.rows.filter((_, j) => j !== i)
                }))
              }
            >
              <closeIcon.react tag="span" />
            </Button>
            <FieldError
              id={`row-${i}-name-error`}
              message={this.errors[`row:${i}:name`]}
            />
            <FieldError
              id={`row-${i}-value-error`}
              message={this.errors[`row:${i}:value`]}
            />
          </div>
        ))}
        <Button
          small
          onClick={() =>
            this.set(inp => ({
              ...inp,
              rows: [...inp.rows, { name: '', type: 'string', value: '' }]
            }))
          }
        >
          {t.__('Add variable')}
        </Button>
      </fieldset>
    );
  }

  render(): JSX.Element {
    const t = this.trans;
    return (
      <form onSubmit={e => e.preventDefault()}>
        {this.fields.map(f => this.renderField(f))}
        {this.fields.length === 0 && this.renderRows()}
        <div className="jp-DataOps-wf-formRow" data-field="business_key">
          <label htmlFor="jp-DataOps-wf-start-business-key">
            {t.__('Business key (optional)')}
          </label>
          <InputGroup
            id="jp-DataOps-wf-start-business-key"
            value={this.input.businessKey}
            placeholder={t.__('e.g. EXR-2026-10')}
            onChange={e => {
              const v = e.currentTarget.value;
              this.set(i => ({ ...i, businessKey: v }));
            }}
          />
        </div>
      </form>
    );
  }
}

/** A dialog that stays open while its input has errors, showing them per field. */
class CheckedDialog extends Dialog<StartCheck> {
  constructor(
    private readonly form: StartBody,
    private readonly choices: ReadonlyArray<Dialog.IButton>,
    title: string
  ) {
    super({ title, body: form, buttons: choices, focusNodeSelector: 'input' });
  }

  resolve(index?: number): void {
    // Without an index the default (last) button is meant, as in `Dialog`.
    const button = this.choices[index ?? this.choices.length - 1];
    if (button?.accept && !this.form.check().ok) {
      return;
    }
    super.resolve(index);
  }
}

/** Ask for a run's variables and business key; null when the user cancels. */
export async function showStartDialog(
  definition: IProcessDefinition,
  fields: IFormField[],
  prefill: Record<string, string>,
  trans: TranslationBundle
): Promise<{
  variables: Record<string, unknown>;
  businessKey: string | null;
} | null> {
  const body = new StartBody(fields, prefill, trans);
  const dialog = new CheckedDialog(
    body,
    [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Start') })
    ],
    trans.__('Start %1', definition.name || definition.key)
  );
  dialog.addClass('jp-DataOps-wf-startDialog');
  const result = await dialog.launch();
  if (!result.button.accept || !result.value || !result.value.ok) {
    return null;
  }
  return {
    variables: result.value.variables,
    businessKey: result.value.businessKey
  };
}
