import * as React from 'react';

import { IChartData, periodToDate } from '../arrow';
import { thin } from '../chart';

const WIDTH = 320;
const HEIGHT = 160;
const PAD = 28;

/** Position of each period on the x axis: by date when all are dates, else by rank. */
function xPositions(periods: string[]): Map<string, number> {
  const unique = [...new Set(periods)];
  const times = unique.map(p => Date.parse(periodToDate(p) ?? ''));
  const dated = times.every(t => !Number.isNaN(t));
  const keys = dated ? times : unique.map((_, i) => i);
  const min = Math.min(...keys);
  const span = Math.max(...keys) - min || 1;
  return new Map(
    unique.map((p, i) => [
      p,
      PAD + ((keys[i] - min) / span) * (WIDTH - 2 * PAD)
    ])
  );
}

/** A plain SVG line chart (no library), coloured with the theme's palette. */
export function SvgChart(props: { data: IChartData }): JSX.Element {
  const points = thin(props.data.points, 4000);
  if (points.length === 0) {
    return <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} />;
  }
  const x = xPositions(points.map(p => p.period));
  const values = points.map(p => p.value);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const y = (v: number) =>
    HEIGHT - PAD - ((v - low) / (high - low || 1)) * (HEIGHT - 2 * PAD);
  const lines = props.data.series.map((series, index) => {
    const mine = points.filter(p => p.series === series);
    const path = mine.map(
      p => `${x.get(p.period)!.toFixed(1)},${y(p.value).toFixed(1)}`
    );
    return (
      <polyline
        key={series}
        points={path.join(' ')}
        className={`jp-DataOps-svgLine jp-DataOps-svgLine-${index % 6}`}
      >
        <title>{series}</title>
      </polyline>
    );
  });
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="jp-DataOps-svgChart">
      <line x1={PAD} y1={HEIGHT - PAD} x2={WIDTH - PAD} y2={HEIGHT - PAD} />
      <line x1={PAD} y1={PAD} x2={PAD} y2={HEIGHT - PAD} />
      <text x={2} y={PAD}>
        {high.toPrecision(4)}
      </text>
      <text x={2} y={HEIGHT - PAD}>
        {low.toPrecision(4)}
      </text>
      <text x={PAD} y={HEIGHT - 8}>
        {points[0].period}
      </text>
      <text x={WIDTH - PAD} y={HEIGHT - 8} textAnchor="end">
        {points[points.length - 1].period}
      </text>
      {lines}
    </svg>
  );
}
