/**
 * A small generic form from a JSON Schema: one field per top-level property of an object schema,
 * for strings (with `enum`), numbers, integers, booleans and lists of strings or numbers. Other
 * properties are shown as JSON text.
 */

/** One field of the form. */
export interface IField {
  key: string;
  title: string;
  description: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'list' | 'json';
  /** The item type of a list. */
  items: 'string' | 'number';
  choices: string[] | null;
  required: boolean;
  minimum: number | null;
  maximum: number | null;
}

/** The fields of `schema` in the order its properties are listed. */
export function fieldsOf(schema: Record<string, any>): IField[] {
  const properties: Record<string, any> = schema?.properties ?? {};
  const required: string[] = Array.isArray(schema?.required)
    ? schema.required
    : [];
  return Object.entries(properties).map(([key, prop]) => {
    const raw = Array.isArray(prop?.type) ? prop.type[0] : prop?.type;
    const itemType = prop?.items?.type;
    let type: IField['type'] = 'json';
    if (['string', 'number', 'integer', 'boolean'].includes(raw)) {
      type = raw;
    } else if (
      raw === 'array' &&
      ['string', 'number', 'integer'].includes(itemType)
    ) {
      type = 'list';
    }
    return {
      key,
      title: typeof prop?.title === 'string' ? prop.title : key,
      description:
        typeof prop?.description === 'string' ? prop.description : '',
      type,
      items: itemType === 'string' ? 'string' : 'number',
      choices: Array.isArray(prop?.enum) ? prop.enum.map(String) : null,
      required: required.includes(key),
      minimum: typeof prop?.minimum === 'number' ? prop.minimum : null,
      maximum: typeof prop?.maximum === 'number' ? prop.maximum : null
    };
  });
}

/** The text a field's input shows for `value`. */
export function toText(field: IField, value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (field.type === 'list' && Array.isArray(value)) {
    return value.join(', ');
  }
  if (field.type === 'json') {
    return JSON.stringify(value);
  }
  return String(value);
}

/**
 * The value of `text` typed into `field`: `{ value }`, `{ omit: true }` for an empty optional
 * field, or `{ error }` saying what is wrong.
 */
export function fromText(
  field: IField,
  text: string
): { value?: unknown; omit?: boolean; error?: string } {
  const trimmed = text.trim();
  if (field.type === 'boolean') {
    return { value: trimmed === 'true' };
  }
  if (!trimmed) {
    return field.required
      ? { error: `${field.title} is required.` }
      : { omit: true };
  }
  if (field.type === 'number' || field.type === 'integer') {
    const n = Number(trimmed);
    if (
      !Number.isFinite(n) ||
      (field.type === 'integer' && !Number.isInteger(n))
    ) {
      return {
        error: `${field.title} must be ${field.type === 'integer' ? 'a whole number' : 'a number'}.`
      };
    }
    return { value: n };
  }
  if (field.type === 'list') {
    const parts = trimmed
      .split(',')
      .map(p => p.trim())
      .filter(Boolean);
    if (field.items === 'number') {
      const nums = parts.map(Number);
      if (nums.some(n => !Number.isFinite(n))) {
        return { error: `${field.title} must be numbers separated by commas.` };
      }
      return { value: nums };
    }
    return { value: parts };
  }
  if (field.type === 'json') {
    try {
      return { value: JSON.parse(trimmed) };
    } catch {
      return { error: `${field.title} must be JSON.` };
    }
  }
  return { value: trimmed };
}

/**
 * The values of the form: `values` with each field's text applied, or the first error.
 * Properties the schema does not name are kept as they are.
 */
export function collectValues(
  fields: IField[],
  values: Record<string, unknown>,
  texts: Record<string, string>
): { values: Record<string, unknown> } | { error: string } {
  const out: Record<string, unknown> = { ...values };
  for (const field of fields) {
    if (!(field.key in texts)) {
      continue;
    }
    const parsed = fromText(field, texts[field.key]);
    if (parsed.error) {
      return { error: parsed.error };
    }
    if (parsed.omit) {
      delete out[field.key];
    } else {
      out[field.key] = parsed.value;
    }
  }
  return { values: out };
}
