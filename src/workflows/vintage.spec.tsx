import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

import { IVariable } from './api';
import { VintageLink } from './components/VintageLink';
import { dataPanelTarget, runVintage, vintageRestUrl } from './vintage';

const trans = nullTranslator.load('jupyterlab-dataops');

/** The variable the sample production's disseminate step gives its run. */
const WRITTEN = {
  source: 'STORE',
  flow: 'EXR',
  agency: 'ECB',
  version: '1.0',
  key: 'M.E5.EUR.EN00.A',
  snapshot_id: '66350175350748026',
  tag: 'run 5f1c',
  committed_at: '2026-12-03T20:32:27.546Z',
  rows: 12,
  rest_path: 'dataops/sdmx/STORE/data/dataflow/ECB/EXR/1.0/M.E5.EUR.EN00.A'
};

const variables = (value: unknown): IVariable[] => [
  { name: 'rows', value: 12, type: 'Integer' },
  { name: 'vintage', value, type: 'Json' }
];

describe("a run's vintage", () => {
  it('is read from the vintage variable', () => {
    expect(runVintage(variables(WRITTEN))).toEqual({
      source: 'STORE',
      flow: 'EXR',
      key: 'M.E5.EUR.EN00.A',
      tag: 'run 5f1c',
      agency: 'ECB',
      version: '1.0',
      snapshot_id: '66350175350748026',
      committed_at: '2026-12-03T20:32:27.546Z'
    });
  });

  it.each([
    ['no vintage variable', [{ name: 'rows', value: 12, type: 'Integer' }]],
    ['a text', variables('run 5f1c')],
    ['a list', variables([WRITTEN])],
    ['no source', variables({ ...WRITTEN, source: '' })],
    [
      'no name nor snapshot',
      variables({ ...WRITTEN, tag: '', snapshot_id: '' })
    ]
  ])('is none with %s', (_, given) => {
    expect(runVintage(given as IVariable[])).toBeNull();
  });

  it('opens the Data panel on its flow and series, at its name', () => {
    expect(dataPanelTarget(runVintage(variables(WRITTEN))!)).toEqual({
      source: 'STORE',
      flow: 'EXR',
      key: 'M.E5.EUR.EN00.A',
      asOf: 'run 5f1c'
    });
    const unnamed = runVintage(variables({ ...WRITTEN, tag: '' }))!;
    expect(dataPanelTarget(unnamed).asOf).toBe('66350175350748026');
  });

  it('has the SDMX REST 2.x address that serves it as it was then', () => {
    expect(
      vintageRestUrl(
        'http://localhost:8888/user/ana/',
        runVintage(variables(WRITTEN))!
      )
    ).toBe(
      'http://localhost:8888/user/ana/dataops/sdmx/STORE/data/dataflow/ECB/EXR/1.0/M.E5.EUR.EN00.A?asOf=2026-12-03T20%3A32%3A27.546Z'
    );
  });

  it('builds the address from the fields, so a variable cannot lead elsewhere', () => {
    const url = vintageRestUrl(
      'http://localhost:8888/',
      runVintage(
        variables({
          ...WRITTEN,
          source: '../../api/contents',
          key: 'x?y#z',
          rest_path: 'https://evil.example/'
        })
      )!
    )!;
    expect(url.startsWith('http://localhost:8888/dataops/sdmx/')).toBe(true);
    expect(url).toContain('/..%2F..%2Fapi%2Fcontents/');
    expect(url).toContain('/x%3Fy%23z?asOf=');
    expect(url).not.toContain('evil');
    expect(
      vintageRestUrl(
        'http://localhost:8888/',
        runVintage(variables({ ...WRITTEN, committed_at: '' }))!
      )
    ).toBeNull();
  });

  it('shows the vintage with a Data panel button and the REST link', () => {
    const vintage = runVintage(variables(WRITTEN))!;
    const html = renderToStaticMarkup(
      <VintageLink
        vintage={vintage}
        restUrl={vintageRestUrl('http://localhost:8888/', vintage)}
        onOpen={() => undefined}
        trans={trans}
      />
    );
    expect(html).toContain('data-vintage="run 5f1c"');
    expect(html).toContain('M.E5.EUR.EN00.A of EXR in STORE, vintage run 5f1c');
    expect(html).toContain('Open in the Data panel');
    expect(html).toContain(
      'href="http://localhost:8888/dataops/sdmx/STORE/data/dataflow/ECB/EXR/1.0/M.E5.EUR.EN00.A?asOf=2026-12-03T20%3A32%3A27.546Z"'
    );
    const noButton = renderToStaticMarkup(
      <VintageLink
        vintage={vintage}
        restUrl={null}
        onOpen={null}
        trans={trans}
      />
    );
    expect(noButton).not.toContain('Open in the Data panel');
    expect(noButton).not.toContain('href=');
  });
});
