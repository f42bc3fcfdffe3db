import { IAffected, ICode, ICodelist, IConstraint, IKeyValue } from './api';

/**
 * The codes a constraint allows for `dimension`: the values its (first, including) cube region
 * lists, or `null` when it does not restrict the dimension (every code of the codelist).
 */
export function allowedCodes(
  constraint: IConstraint,
  dimension: string
): string[] | null {
  const region = constraint.regions.find(r => r.include);
  const kv = region?.key_values.find(k => k.id === dimension && k.include);
  return kv ? [...kv.values] : null;
}

/**
 * `constraint` with `dimension` allowing exactly `codes` (`null`: no restriction). Other regions
 * and dimensions are kept as they are; a constraint without an including region gets one.
 */
export function withAllowed(
  constraint: IConstraint,
  dimension: string,
  codes: string[] | null
): IConstraint {
  const regions = constraint.regions.map(r => ({
    ...r,
    key_values: [...r.key_values]
  }));
  let region = regions.find(r => r.include);
  if (!region) {
    region = { include: true, key_values: [] };
    regions.unshift(region);
  }
  const at = region.key_values.findIndex(k => k.id === dimension);
  const next: IKeyValue | null =
    codes === null ? null : { id: dimension, values: codes, include: true };
  if (at >= 0) {
    if (next) {
      region.key_values[at] = next;
    } else {
      region.key_values.splice(at, 1);
    }
  } else if (next) {
    region.key_values.push(next);
  }
  return { ...constraint, regions };
}

/**
 * Toggle `code` of `dimension` (whose codelist holds `all`): the first restriction of an
 * unrestricted dimension allows every code but this one.
 */
export function toggleCode(
  constraint: IConstraint,
  dimension: string,
  all: string[],
  code: string
): IConstraint {
  const allowed = allowedCodes(constraint, dimension) ?? [...all];
  const next = allowed.includes(code)
    ? allowed.filter(c => c !== code)
    : all.filter(c => c === code || allowed.includes(c));
  return withAllowed(constraint, dimension, next);
}

/** `constraint` valid from `from` to `to` (ISO dates; '' leaves that end open). */
export function withValidity(
  constraint: IConstraint,
  from: string,
  to: string
): IConstraint {
  return { ...constraint, valid_from: from, valid_to: to };
}

/** Why a validity period cannot be saved ('' when it can). */
export function validityProblem(from: string, to: string): string {
  if (from && to && to < from) {
    return `The validity period ends (${to}) before it starts (${from}).`;
  }
  return '';
}

/** `codelist` with a new code `id` named `name`; an error sentence when the id is taken or empty. */
export function addCode(
  codelist: ICodelist,
  id: string,
  name: string
): ICodelist | string {
  const clean = id.trim();
  if (!/^[A-Za-z0-9_@$-]+$/.test(clean)) {
    return `A code id is letters, digits, _, @, $ or -, not '${id}'.`;
  }
  if (codelist.codes.some(c => c.id === clean)) {
    return `The codelist already holds code ${clean}.`;
  }
  const code: ICode = { id: clean, name: name.trim(), parent: '', names: [] };
  return { ...codelist, codes: [...codelist.codes, code] };
}

/** `codelist` with code `id` named `name` (in its primary language). */
export function renameCode(
  codelist: ICodelist,
  id: string,
  name: string
): ICodelist {
  return {
    ...codelist,
    codes: codelist.codes.map(c =>
      c.id === id ? { ...c, name, names: c.names.length ? c.names : [] } : c
    )
  };
}

/** `codelist` without code `id` (and without it as a parent). */
export function removeCode(codelist: ICodelist, id: string): ICodelist {
  return {
    ...codelist,
    codes: codelist.codes
      .filter(c => c.id !== id)
      .map(c => (c.parent === id ? { ...c, parent: '' } : c))
  };
}

/** "N stored series use this code" for one code an edit takes away, with the series named. */
export function affectedLine(a: IAffected): string {
  const use =
    a.series === 1 ? '1 stored series uses' : `${a.series} stored series use`;
  const more = a.series > a.examples.length ? ', …' : '';
  return `${a.code} (${a.dimension} of ${a.flow}): ${use} this code — ${a.examples.join(', ')}${more}`;
}

/** `codelist` with code `id` deprecated from `day` (ISO date; '' takes the deprecation back). */
export function deprecateCode(
  codelist: ICodelist,
  id: string,
  day: string
): ICodelist {
  return {
    ...codelist,
    codes: codelist.codes.map(c => {
      if (c.id !== id) {
        return c;
      }
      const next: ICode = { ...c, deprecated: day };
      if (!day) {
        delete next.deprecated;
      }
      return next;
    })
  };
}

/**
 * Why a codelist edit cannot be saved because it removes codes stored series use ('' when it
 * can): the server refuses it too, naming the series.
 */
export function removalRefusal(affected: IAffected[] | undefined): string {
  const codes = [...new Set((affected ?? []).map(a => a.code))];
  if (!codes.length) {
    return '';
  }
  return `Stored series still use ${codes.join(', ')}: a code in use cannot be removed. Deprecate it instead.`;
}
