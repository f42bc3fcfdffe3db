import { IAvailability, IDimension } from './api';
import { formatKey, Selections } from './key';

/** One availability request and the dimensions whose codes it decides. */
export interface IAvailabilityQuery {
  key: string;
  dimensions: string[];
}

/** Codes with data per dimension, and how many series the whole key matches. */
export interface ICascade {
  /** Dimension id → codes that have data given the choices in the other dimensions. */
  available: Record<string, string[]>;
  /** Series matching the full key, when the provider says. */
  seriesCount: number | null;
}

/**
 * The availability requests that narrow every dimension by the choices in the others.
 *
 * A dimension must not be narrowed by its own choice (or the user could never add
 * a second code), so each dimension with a choice gets a request with its own
 * position left open; the dimensions without a choice share the full key's request,
 * which also gives the series count. Requests with the same key are merged.
 */
export function availabilityQueries(
  dimensions: IDimension[],
  selections: Selections
): IAvailabilityQuery[] {
  const byKey = new Map<string, string[]>();
  const add = (key: string, dim?: string) => {
    const dims = byKey.get(key) ?? [];
    if (dim) {
      dims.push(dim);
    }
    byKey.set(key, dims);
  };
  const fullKey = formatKey(dimensions, selections);
  add(fullKey);
  for (const dim of dimensions) {
    const chosen = selections[dim.id] ?? [];
    if (chosen.length === 0) {
      add(fullKey, dim.id);
    } else {
      add(formatKey(dimensions, { ...selections, [dim.id]: [] }), dim.id);
    }
  }
  return [...byKey.entries()].map(([key, dims]) => ({ key, dimensions: dims }));
}

/**
 * Combine the answers of `availabilityQueries` (same order) into one cascade.
 *
 * A dimension the provider's answer does not mention is not narrowed: every code
 * of it stays available, as the provider did not rule any out.
 */
export function mergeAvailability(
  dimensions: IDimension[],
  queries: IAvailabilityQuery[],
  answers: IAvailability[]
): ICascade {
  const available: Record<string, string[]> = {};
  let seriesCount: number | null = null;
  queries.forEach((query, index) => {
    const answer = answers[index];
    if (index === 0) {
      seriesCount = answer.series_count;
    }
    for (const dimId of query.dimensions) {
      const codes = answer.dimensions[dimId];
      const dim = dimensions.find(d => d.id === dimId);
      available[dimId] = codes ?? dim?.codes.map(c => c.id) ?? [];
    }
  });
  return { available, seriesCount };
}

/** How many of a dimension's codes have data (`available` = total when unknown). */
export function dimensionCounts(
  dimension: IDimension,
  cascade: ICascade | null
): { available: number; total: number } {
  const total = dimension.codes.length;
  const codes = cascade?.available[dimension.id];
  if (!codes) {
    return { available: total, total };
  }
  const known = new Set(dimension.codes.map(c => c.id));
  return {
    available: codes.filter(c => known.size === 0 || known.has(c)).length,
    total
  };
}

/** Selected codes that have no data given the other choices (shown as warnings). */
export function selectionsWithoutData(
  selections: Selections,
  cascade: ICascade | null
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!cascade) {
    return out;
  }
  for (const [dimId, codes] of Object.entries(selections)) {
    const available = cascade.available[dimId];
    if (!available) {
      continue;
    }
    const missing = codes.filter(c => !available.includes(c));
    if (missing.length > 0) {
      out[dimId] = missing;
    }
  }
  return out;
}
