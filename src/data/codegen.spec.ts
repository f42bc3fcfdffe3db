import { readCode, variableName } from './codegen';

const CALL = {
  source: 'ECB',
  flow: 'EXR',
  flowName: 'Exchange Rates',
  key: 'M.USD+JPY.EUR.SP00.A',
  start: '',
  end: '',
  last: 0
};

describe('generated code', () => {
  it('is the exact dataops.read call, then the frame so the notebook shows it', () => {
    expect(readCode(CALL)).toBe(
      'import dataops\n\n' +
        '# Exchange Rates (EXR from ECB)\n' +
        'df_exr = dataops.read("ECB", "EXR", key="M.USD+JPY.EUR.SP00.A")\n' +
        'df_exr'
    );
  });

  it('adds the period bounds and last N only when given', () => {
    const code = readCode({
      ...CALL,
      start: '2020-01',
      end: '2024-12',
      last: 12
    });
    expect(code).toContain(
      'dataops.read(\n    "ECB",\n    "EXR",\n    key="M.USD+JPY.EUR.SP00.A",\n' +
        '    start="2020-01",\n    end="2024-12",\n    last=12,\n)'
    );
  });

  it('leaves the key out when everything is selected', () => {
    expect(readCode({ ...CALL, key: '', flowName: undefined })).toBe(
      'import dataops\n\ndf_exr = dataops.read("ECB", "EXR")\ndf_exr'
    );
  });

  it('escapes quotes so the string stays valid Python', () => {
    expect(readCode({ ...CALL, source: 'my"src' })).toContain(
      'dataops.read("my\\"src", "EXR"'
    );
  });

  it('reads the picked vintage of a store source with as_of', () => {
    expect(
      readCode({
        ...CALL,
        source: 'STORE',
        flowName: undefined,
        asOf: '2019-10 release'
      })
    ).toBe(
      'import dataops\n\n' +
        'df_exr = dataops.read("STORE", "EXR", key="M.USD+JPY.EUR.SP00.A", as_of="2019-10 release")\n' +
        'df_exr'
    );
    expect(readCode({ ...CALL, asOf: ' 2026-11-30T09:00:00Z ' })).toContain(
      'as_of="2026-11-30T09:00:00Z"'
    );
  });

  it('leaves as_of out for the latest vintage', () => {
    expect(readCode({ ...CALL, asOf: '' })).toBe(readCode(CALL));
    expect(readCode({ ...CALL, asOf: '  ' })).not.toContain('as_of');
  });

  it('names the variable after the flow', () => {
    expect(variableName('GOV_10Q_GGNFA')).toBe('df_gov_10q_ggnfa');
    expect(variableName('ECB:EXR(1.0)')).toBe('df_ecb_exr_1_0');
    expect(variableName('---')).toBe('df');
  });
});
