import { IDimension } from './api';

/** Codes chosen per dimension id; a missing or empty entry is a wildcard. */
export type Selections = Record<string, string[]>;

/** A series key that cannot be applied, with the sentence to show. */
export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

const CODE = /^[A-Za-z0-9_@$-]+$/;

/**
 * The REST 1.x key of the selections, in DSD order: `M.USD+JPY.EUR.SP00.A`.
 *
 * Codes keep the order they were chosen or typed in, so a typed key comes back
 * exactly as the user wrote it.
 */
export function formatKey(
  dimensions: IDimension[],
  selections: Selections
): string {
  return dimensions.map(dim => (selections[dim.id] ?? []).join('+')).join('.');
}

/**
 * The selections a typed key stands for; `KeyError` says what is wrong.
 *
 * Accepts REST 1.x (`+`, empty wildcard) and 2.x (`,`, `*`) syntax, and
 * `all`, `*` or an empty key for everything, as `dataops.read` does.
 */
export function parseKey(text: string, dimensions: IDimension[]): Selections {
  const trimmed = text.trim();
  const out: Selections = {};
  if (['', 'all', '*'].includes(trimmed.toLowerCase())) {
    return out;
  }
  const parts = trimmed.split('.');
  if (parts.length !== dimensions.length) {
    throw new KeyError(
      `The key has ${parts.length} position${parts.length === 1 ? '' : 's'} but this dataflow has ` +
        `${dimensions.length} dimensions (${dimensions.map(d => d.id).join('.')}).`
    );
  }
  parts.forEach((part, index) => {
    const dim = dimensions[index];
    if (part === '' || part === '*') {
      return;
    }
    const codes = part.split(/[+,]/);
    const known = new Set(dim.codes.map(c => c.id));
    for (const code of codes) {
      if (!CODE.test(code)) {
        throw new KeyError(
          `Position ${index + 1} (${dim.id}) holds ${code ? `'${code}'` : 'an empty code'}; ` +
            "codes are letters, digits, '_', '-', '@' or '$', separated by '+'."
        );
      }
      if (known.size > 0 && !known.has(code)) {
        throw new KeyError(`${dim.id} has no code '${code}'.`);
      }
    }
    out[dim.id] = [...new Set(codes)];
  });
  return out;
}

/** The selections with only the dimensions that hold codes (for storage and comparison). */
export function compactSelections(selections: Selections): Selections {
  const out: Selections = {};
  for (const [id, codes] of Object.entries(selections)) {
    if (codes.length > 0) {
      out[id] = [...codes];
    }
  }
  return out;
}

/** The selections with `code` of `dimension` switched on or off. */
export function toggleCode(
  selections: Selections,
  dimension: string,
  code: string
): Selections {
  const current = selections[dimension] ?? [];
  const next = current.includes(code)
    ? current.filter(c => c !== code)
    : [...current, code];
  return compactSelections({ ...selections, [dimension]: next });
}
