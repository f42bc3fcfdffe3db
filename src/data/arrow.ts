import { DataType, Table, tableFromIPC, Vector } from 'apache-arrow';

import type { IVintage } from './vintages';

/** What the server records about a preview (the stream's `dataops` schema metadata). */
export interface IPreviewInfo {
  source: string;
  flow: string;
  key: string;
  structure: string;
  /** The provider's query URL. */
  url: string;
  retrieved_at: string;
  dimensions: string[];
  time_dimension: string;
  start: string | null;
  end: string | null;
  last: number | null;
  /** Series the query matched; `series` of them are in the preview. */
  series_total: number;
  series: number;
  observations: number;
  truncated: boolean;
  /** A store source's vintage read (absent for other sources). */
  vintage?: IVintage;
}

/** A decoded preview: the Arrow table and what the server said about it. */
export interface IPreview {
  info: IPreviewInfo;
  table: Table;
  columns: string[];
}

/** Decode the Arrow IPC stream of a data answer. */
export function decodePreview(bytes: Uint8Array): IPreview {
  const table = tableFromIPC(bytes);
  const raw = table.schema.metadata.get('dataops');
  if (!raw) {
    throw new Error(
      'The data answer has no dataops metadata; is the server extension up to date?'
    );
  }
  const info = JSON.parse(raw) as IPreviewInfo;
  return { info, table, columns: table.schema.fields.map(f => f.name) };
}

/** The columns a reader looks at first: the period and the value. */
const FIRST_COLUMNS = ['TIME_PERIOD', 'OBS_VALUE'];

/**
 * The order the preview grid shows the table's columns `names` in, as indexes into `names`:
 * period and value first (a narrow panel shows them without scrolling past dimensions that are
 * the same on every row), then the others as the server sent them.
 */
export function previewColumnOrder(names: string[]): number[] {
  const first = FIRST_COLUMNS.map(n => names.indexOf(n)).filter(i => i >= 0);
  const rest = names.map((_, i) => i).filter(i => !first.includes(i));
  return [...first, ...rest];
}

/** The text of one cell (empty for missing values). */
export function cellText(table: Table, row: number, column: number): string {
  const value = table.getChildAt(column)?.get(row);
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'number' && Number.isNaN(value)) {
    return '';
  }
  return String(value);
}

/** One point of the chart. */
export interface IPoint {
  series: string;
  period: string;
  value: number;
}

/** Points of the chart and how many series it leaves out. */
export interface IChartData {
  points: IPoint[];
  series: string[];
  omittedSeries: number;
}

/**
 * The observations of the first `maxSeries` series as chart points.
 *
 * Missing values are left out (a gap in the line), as a chart cannot draw them.
 */
export function chartData(preview: IPreview, maxSeries: number): IChartData {
  const { table, info } = preview;
  const dims = info.dimensions
    .map(d => table.getChild(d))
    .filter((c): c is Vector => c !== null);
  const period = table.getChild(info.time_dimension);
  const value = table.getChild('OBS_VALUE');
  const series: string[] = [];
  const chosen = new Set<string>();
  const all = new Set<string>();
  const points: IPoint[] = [];
  if (!period || !value) {
    return { points, series, omittedSeries: 0 };
  }
  const codes = dims.map(codeAt);
  let previous: (number | string)[] = [];
  let key = '';
  for (let row = 0; row < table.numRows; row++) {
    // Rows come series by series: build the key text only when a code changes.
    const current = codes.map(code => code(row));
    if (row === 0 || current.some((c, i) => c !== previous[i])) {
      key = dims.map(c => String(c.get(row) ?? '')).join('.');
      previous = current;
      all.add(key);
    }
    if (!chosen.has(key)) {
      if (chosen.size >= maxSeries) {
        continue;
      }
      chosen.add(key);
      series.push(key);
    }
    const v = value.get(row);
    if (typeof v === 'number' && !Number.isNaN(v)) {
      points.push({ series: key, period: String(period.get(row)), value: v });
    }
  }
  return { points, series, omittedSeries: all.size - series.length };
}

/** A cheap per-row identity of a column's value: the dictionary index when there is one. */
function codeAt(column: Vector): (row: number) => number | string {
  const [data] = column.data;
  if (
    DataType.isDictionary(column.type) &&
    column.data.length === 1 &&
    data.offset === 0
  ) {
    const indices = data.values;
    return row => indices[row];
  }
  return row => String(column.get(row));
}

/**
 * An ISO date for an SDMX period (`2020`, `2020-01`, `2020-Q3`, `2020-S2`,
 * `2020-M01`, `2020-W05`, `2020-01-31`), or null when it is not one.
 */
export function periodToDate(period: string): string | null {
  let m = /^(\d{4})$/.exec(period) ?? /^(\d{4})-A1$/.exec(period);
  if (m) {
    return `${m[1]}-01-01`;
  }
  m = /^(\d{4})-M?(\d{2})$/.exec(period);
  if (m) {
    return `${m[1]}-${m[2]}-01`;
  }
  m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (m) {
    return `${m[1]}-${String(Number(m[2]) * 3 - 2).padStart(2, '0')}-01`;
  }
  m = /^(\d{4})-S([12])$/.exec(period);
  if (m) {
    return `${m[1]}-${m[2] === '1' ? '01' : '07'}-01`;
  }
  m = /^(\d{4})-W(\d{2})$/.exec(period);
  if (m) {
    const day = new Date(Date.UTC(Number(m[1]), 0, 1 + (Number(m[2]) - 1) * 7));
    return day.toISOString().slice(0, 10);
  }
  m = /^(\d{4}-\d{2}-\d{2})/.exec(period);
  return m ? m[1] : null;
}
