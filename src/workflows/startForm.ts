import { IFormField } from './api';

/** Types a free variable can have in the start dialog. */
export const VARIABLE_TYPES = [
  'string',
  'long',
  'double',
  'boolean',
  'json'
] as const;

/** One free variable row of the start dialog. */
export interface IVariableRow {
  name: string;
  type: (typeof VARIABLE_TYPES)[number];
  value: string;
}

/** What the user typed, before checking. */
export interface IStartInput {
  fields: Record<string, string | boolean>;
  rows: IVariableRow[];
  businessKey: string;
}

/** The checked result, or the message per field (`field:<id>`, `row:<i>:name|value`). */
export type StartCheck =
  | { ok: true; variables: Record<string, unknown>; businessKey: string | null }
  | { ok: false; errors: Record<string, string> };

/** Sentences of the checks, translated by the caller. */
export interface IStartMessages {
  required: string;
  wholeNumber: string;
  number: string;
  date: string;
  option: string;
  name: string;
  duplicate: string;
  json: string;
  boolean: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Initial input: each form field's default, or what the Data panel selection gives. */
export function initialInput(
  fields: IFormField[],
  prefill: Record<string, string>
): IStartInput {
  const values: Record<string, string | boolean> = {};
  for (const f of fields) {
    if (f.type === 'boolean') {
      values[f.id] = f.default === true || f.default === 'true';
    } else {
      values[f.id] =
        prefill[f.id] ??
        (f.default === null || f.default === undefined
          ? ''
          : String(f.default));
    }
  }
  const rows: IVariableRow[] = fields.length
    ? []
    : Object.entries(prefill).map(([name, value]) => ({
        name,
        type: 'string',
        value
      }));
  return { fields: values, rows, businessKey: '' };
}

function parseTyped(
  type: string,
  raw: string,
  m: IStartMessages
): { value: unknown } | { error: string } {
  const text = raw.trim();
  switch (type) {
    case 'long':
      return /^-?\d+$/.test(text)
        ? { value: Number(text) }
        : { error: m.wholeNumber };
    case 'double':
      return text !== '' && !isNaN(Number(text))
        ? { value: Number(text) }
        : { error: m.number };
    case 'boolean':
      return text === 'true' || text === 'false'
        ? { value: text === 'true' }
        : { error: m.boolean };
    case 'date':
      return isNaN(Date.parse(text)) ? { error: m.date } : { value: text };
    case 'json':
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { error: m.json };
      }
    default:
      return { value: raw };
  }
}

/** Check the input against the form (or the free rows) and build the variables. */
export function checkStart(
  fields: IFormField[],
  input: IStartInput,
  m: IStartMessages
): StartCheck {
  const errors: Record<string, string> = {};
  const variables: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = input.fields[f.id];
    if (f.type === 'boolean') {
      variables[f.id] = raw === true;
      continue;
    }
    const text = String(raw ?? '');
    if (!text.trim()) {
      if (f.required) {
        errors[`field:${f.id}`] = m.required;
      }
      continue;
    }
    if (f.type === 'enum') {
      if (!(text in f.options)) {
        errors[`field:${f.id}`] = m.option;
      } else {
        variables[f.id] = text;
      }
      continue;
    }
    const parsed = parseTyped(f.type, text, m);
    if ('error' in parsed) {
      errors[`field:${f.id}`] = parsed.error;
    } else {
      variables[f.id] = parsed.value;
    }
  }
  const seen = new Set<string>();
  input.rows.forEach((row, i) => {
    const name = row.name.trim();
    if (!name && !row.value.trim()) {
      return; // an empty row is ignored
    }
    if (!NAME.test(name)) {
      errors[`row:${i}:name`] = m.name;
    } else if (seen.has(name)) {
      errors[`row:${i}:name`] = m.duplicate;
    }
    seen.add(name);
    const parsed = parseTyped(row.type, row.value, m);
    if ('error' in parsed) {
      errors[`row:${i}:value`] = parsed.error;
    } else if (NAME.test(name)) {
      variables[name] = parsed.value;
    }
  });
  if (Object.keys(errors).length) {
    return { ok: false, errors };
  }
  return { ok: true, variables, businessKey: input.businessKey.trim() || null };
}
