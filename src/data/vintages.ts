import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../api/client';
import { IChartData, IPoint } from './arrow';

/** One version of a stored dataflow (docs/openapi-store.yaml, `Vintage`). */
export interface IVintage {
  /** The Iceberg snapshot id as text (beyond JavaScript's exact integers). */
  snapshot_id: string;
  committed_at: string;
  /** The first tag, else `committed_at`. */
  label: string;
  tags: string[];
  who: string;
  message: string;
  action: string;
  origin: Record<string, string>;
  rows_written?: number | null;
  total_rows?: number | null;
}

/** Reply of `GET .../dataflows/{flow}/vintages`. */
export interface IVintages {
  source: string;
  flow: string;
  vintages: IVintage[];
}

/** One series of a revision triangle: `values[i][j]` is `periods[i]` in vintage `j`. */
export interface IRevisionSeries {
  series_key: string;
  periods: string[];
  values: (number | null)[][];
}

/** Reply of `GET .../dataflows/{flow}/revisions`. */
export interface IRevisions {
  source: string;
  flow: string;
  key: string;
  time_dimension: string | null;
  vintages: IVintage[];
  series: IRevisionSeries[];
}

const enc = encodeURIComponent;

/** The dataflow's vintages, oldest first (none before the first write). */
export function fetchVintages(
  source: string,
  flow: string,
  settings?: ServerConnection.ISettings
): Promise<IVintages> {
  return requestAPI<IVintages>(
    `sdmx/sources/${enc(source)}/dataflows/${enc(flow)}/vintages`,
    {},
    settings
  );
}

/** The revision triangle of the series `key` selects, between optional period bounds. */
export function fetchRevisions(
  source: string,
  flow: string,
  key: string,
  period: { start: string; end: string },
  settings?: ServerConnection.ISettings
): Promise<IRevisions> {
  const query = new URLSearchParams({ key });
  if (period.start.trim()) {
    query.set('start', period.start.trim());
  }
  if (period.end.trim()) {
    query.set('end', period.end.trim());
  }
  return requestAPI<IRevisions>(
    `sdmx/sources/${enc(source)}/dataflows/${enc(flow)}/revisions?${query}`,
    {},
    settings
  );
}

/** The names a picker offers: every tag of every vintage, newest vintage first. */
export function vintageNames(vintages: IVintage[]): string[] {
  return [...vintages].reverse().flatMap(v => v.tags);
}

/** A date (`2026-11-30`) or an ISO 8601 time, as `as_of` takes them. */
const INSTANT =
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Why `text` is not a date or time `as_of` takes, or null (empty is the latest). */
export function instantProblem(text: string): string | null {
  const value = text.trim();
  if (value === '' || INSTANT.test(value)) {
    return null;
  }
  return `'${value}' is not a date or time: use 2026-11-30 or 2026-11-30T09:00:00Z.`;
}

/** The vintage `asOf` names among `vintages` (by tag or snapshot id), or null. */
export function namedVintage(
  vintages: IVintage[],
  asOf: string
): IVintage | null {
  if (!asOf) {
    return null;
  }
  return (
    vintages.find(v => v.tags.includes(asOf) || v.snapshot_id === asOf) ?? null
  );
}

/** A column heading or chart line name: the vintage's name, or its commit time to the minute. */
export function vintageHeading(vintage: IVintage): string {
  return vintage.tags.length > 0
    ? vintage.label
    : vintage.committed_at.slice(0, 16).replace('T', ' ');
}

/** The headings of `vintages`, each unique (the full label where two would read the same). */
export function vintageHeadings(vintages: IVintage[]): string[] {
  const short = vintages.map(vintageHeading);
  return short.map((h, i) =>
    short.indexOf(h) !== short.lastIndexOf(h) ? vintages[i].label : h
  );
}

/**
 * A value of the triangle as text: six significant digits, more where the integer part needs
 * them (revisions are usually in the last digits a provider publishes, not in float noise).
 */
export function formatValue(value: number): string {
  const whole =
    Math.abs(value) >= 1 ? Math.floor(Math.log10(Math.abs(value))) + 1 : 1;
  return String(
    Number(value.toPrecision(Math.min(21, Math.max(6, whole + 2))))
  );
}

/** How a cell of the triangle compares with the vintage before it. */
export type CellChange = 'same' | 'new' | 'revised' | 'removed' | 'absent';

/** A row of the triangle as the table shows it. */
export interface ITriangleRow {
  period: string;
  cells: { value: number | null; change: CellChange }[];
  /** The value changed in a later vintage after it first appeared. */
  revised: boolean;
}

/** The rows of a triangle, newest period first, each cell compared with the previous vintage. */
export function triangleRows(series: IRevisionSeries): ITriangleRow[] {
  const rows = series.periods.map((period, i) => {
    const values = series.values[i] ?? [];
    const cells = values.map((value, j) => {
      const before = j > 0 ? values[j - 1] : null;
      let change: CellChange = 'same';
      if (value === null) {
        change = before === null ? 'absent' : 'removed';
      } else if (j > 0 && before === null) {
        change = 'new';
      } else if (before !== null && before !== value) {
        change = 'revised';
      }
      return { value, change };
    });
    const revised = cells.some(c => c.change === 'revised');
    return { period, cells, revised };
  });
  return rows.reverse();
}

/** Index of the first period whose value differs between the vintages (null: none does). */
export function firstRevisedPeriod(series: IRevisionSeries): number | null {
  const index = series.values.findIndex(values =>
    values.some(v => v !== values[values.length - 1])
  );
  return index >= 0 ? index : null;
}

/**
 * The vintages overlaid as chart lines (one line per vintage, named by `vintageHeadings`), from
 * `context` periods before the first revision on, so the revisions are not lost in a long series.
 */
export function revisionChart(
  series: IRevisionSeries,
  vintages: IVintage[],
  context = 12
): IChartData & { from: string | null } {
  const first = firstRevisedPeriod(series);
  const start = first === null ? 0 : Math.max(0, first - context);
  const labels = vintageHeadings(vintages);
  const points: IPoint[] = [];
  for (let i = start; i < series.periods.length; i++) {
    series.values[i].forEach((value, j) => {
      if (value !== null && labels[j] !== undefined) {
        points.push({ series: labels[j], period: series.periods[i], value });
      }
    });
  }
  return {
    points,
    series: labels,
    omittedSeries: 0,
    from: start > 0 ? series.periods[start] : null
  };
}
