import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

import {
  cellText,
  chartData,
  decodePreview,
  IPreview,
  periodToDate,
  previewColumnOrder
} from './arrow';

/**
 * The Arrow stream is written exactly as the server writes it (the handler's own
 * `first_series` and `arrow_stream`) from a real SDMX-ML 3.0 sample: 6 series, 116 observations.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const SAMPLES = path.resolve(ROOT, '..', 'shared', 'sdmx-samples');
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');
const WRITE_STREAM = `
import sys
import dataops
from jupyterlab_dataops.handlers.sdmx import arrow_stream, first_series
data, structure, out = sys.argv[1], sys.argv[2], sys.argv[3]
dsd = dataops.read_structure(structure)
dims = [d.id for d in dsd.dimensions]
full = dataops.read_file(data, dsd, as_arrow=True)
for limit in (50, 4):
    table, total = first_series(full, dims, limit)
    info = {"source": "FILES", "flow": "ECB:EXR(1.0)", "key": "A..EUR.SP00.", "structure": dsd.id,
            "url": "file:" + data, "retrieved_at": "2026-11-26T00:00:00+00:00", "dimensions": dims,
            "time_dimension": dsd.time_dimension, "start": None, "end": None, "last": None,
            "series_total": total, "series": min(total, limit), "observations": table.num_rows,
            "truncated": total > limit}
    with open(f"{out}-{limit}.arrows", "wb") as f:
        f.write(arrow_stream(table, info))
`;

const haveSamples = existsSync(SAMPLES);
const describeWithSamples = haveSamples ? describe : describe.skip;
if (!haveSamples) {
  console.warn(
    `Arrow decoding tests skipped: the SDMX samples are not at ${SAMPLES}.`
  );
}

/** Write the streams for a preview limit of 50 and of 4 series; return them in that order. */
function serverStreams(): [Uint8Array, Uint8Array] {
  const out = path.join(
    mkdtempSync(path.join(tmpdir(), 'dataops-arrow-')),
    'preview'
  );
  execFileSync(
    PYTHON,
    [
      '-c',
      WRITE_STREAM,
      path.join(SAMPLES, 'v3/xml/ECB_EXR0.xml'),
      path.join(SAMPLES, 'v3/xml/ECB_EXR1.xml'),
      out
    ],
    { cwd: ROOT }
  );
  return [
    new Uint8Array(readFileSync(`${out}-50.arrows`)),
    new Uint8Array(readFileSync(`${out}-4.arrows`))
  ];
}

describeWithSamples('Arrow previews as the server streams them', () => {
  let all: IPreview;
  let firstFour: IPreview;
  beforeAll(() => {
    const [fifty, four] = serverStreams();
    all = decodePreview(fifty);
    firstFour = decodePreview(four);
  }, 60000);

  it('decodes every observation with dimension columns first', () => {
    expect(all.table.numRows).toBe(116);
    expect(all.info.observations).toBe(116);
    expect(all.info.series_total).toBe(6);
    expect(all.info.truncated).toBe(false);
    expect(all.columns.slice(0, 7)).toEqual([
      'FREQ',
      'CURRENCY',
      'CURRENCY_DENOM',
      'EXR_TYPE',
      'EXR_SUFFIX',
      'TIME_PERIOD',
      'OBS_VALUE'
    ]);
  });

  it('shows dictionary-encoded codes as text and values as numbers', () => {
    const currency = all.columns.indexOf('CURRENCY');
    const value = all.columns.indexOf('OBS_VALUE');
    expect(['CAD', 'CHF', 'LTL']).toContain(cellText(all.table, 0, currency));
    expect(Number(cellText(all.table, 0, value))).not.toBeNaN();
  });

  it('keeps the first series of a large selection and says how many there are', () => {
    expect(firstFour.info.truncated).toBe(true);
    expect(firstFour.info.series).toBe(4);
    expect(firstFour.info.series_total).toBe(6);
    expect(chartData(firstFour, 10).series).toHaveLength(4);
  });

  it('charts at most the requested number of series, in order of appearance', () => {
    const chart = chartData(all, 2);
    expect(chart.series).toHaveLength(2);
    expect(chart.omittedSeries).toBe(4);
    expect(new Set(chart.points.map(p => p.series))).toEqual(
      new Set(chart.series)
    );
    expect(chart.series[0].split('.')).toHaveLength(5);
  });
});

describe('SDMX periods on a time axis', () => {
  it.each([
    ['2020', '2020-01-01'],
    ['2020-03', '2020-03-01'],
    ['2020-M03', '2020-03-01'],
    ['2020-Q3', '2020-07-01'],
    ['2020-S2', '2020-07-01'],
    ['2020-W01', '2020-01-01'],
    ['2020-01-31', '2020-01-31']
  ])('%s starts on %s', (period, date) => {
    expect(periodToDate(period)).toBe(date);
  });

  it('is null for what is not a period', () => {
    expect(periodToDate('latest')).toBeNull();
  });
});

describe('preview grid columns', () => {
  it('puts the period and the value first, the dimensions after in server order', () => {
    const names = [
      'FREQ',
      'CURRENCY',
      'CURRENCY_DENOM',
      'EXR_TYPE',
      'EXR_SUFFIX',
      'TIME_PERIOD',
      'OBS_VALUE',
      'OBS_STATUS'
    ];
    expect(previewColumnOrder(names).map(i => names[i])).toEqual([
      'TIME_PERIOD',
      'OBS_VALUE',
      'FREQ',
      'CURRENCY',
      'CURRENCY_DENOM',
      'EXR_TYPE',
      'EXR_SUFFIX',
      'OBS_STATUS'
    ]);
    // a table without them keeps its order
    expect(previewColumnOrder(['A', 'B'])).toEqual([0, 1]);
  });
});
