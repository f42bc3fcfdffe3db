import { JSONObject } from '@lumino/coreutils';

import { IChartData, IPoint, periodToDate } from './arrow';

/** JupyterLab's Vega-Lite 5 renderer answers this MIME type. */
export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';

/** Points drawn at most: a sidebar chart cannot show more, and more would block the page. */
export const MAX_POINTS = 5000;

/** Every k-th point of each series so that at most `max` points remain. */
export function thin(points: IPoint[], max = MAX_POINTS): IPoint[] {
  if (points.length <= max) {
    return points;
  }
  const step = Math.ceil(points.length / max);
  const seen = new Map<string, number>();
  return points.filter(point => {
    const index = seen.get(point.series) ?? 0;
    seen.set(point.series, index + 1);
    return index % step === 0;
  });
}

/**
 * A Vega-Lite line chart of the series, on a time axis when the periods allow it; `focus`
 * scales the value axis to the data (not from zero) and marks each point, so lines that differ
 * by little (vintages of one series) can be told apart.
 */
export function vegaLiteSpec(
  data: IChartData,
  width: number,
  valueTitle = 'OBS_VALUE',
  focus = false
): JSONObject {
  const points = thin(data.points);
  const dated = points.every(p => periodToDate(p.period) !== null);
  const values = points.map(p => ({
    series: p.series,
    period: p.period,
    date: dated ? periodToDate(p.period) : p.period,
    value: p.value
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: Math.max(160, width),
    height: 180,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    mark: {
      type: 'line',
      tooltip: true,
      interpolate: 'linear',
      ...(focus ? { point: true } : {})
    },
    encoding: {
      x: dated
        ? { field: 'date', type: 'temporal', title: null }
        : { field: 'period', type: 'ordinal', title: null },
      y: {
        field: 'value',
        type: 'quantitative',
        title: valueTitle,
        ...(focus ? { scale: { zero: false } } : {})
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        legend: data.series.length > 1 ? { orient: 'bottom', columns: 1 } : null
      },
      tooltip: [
        { field: 'series', type: 'nominal' },
        { field: 'period', type: 'ordinal' },
        { field: 'value', type: 'quantitative' }
      ]
    }
  };
}
