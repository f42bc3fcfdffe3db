import { ICodelist, IConstraint } from './api';
import {
  addCode,
  affectedLine,
  deprecateCode,
  removalRefusal,
  allowedCodes,
  removeCode,
  renameCode,
  toggleCode,
  validityProblem,
  withAllowed
} from './edits';

const constraint = (): IConstraint => ({
  kind: 'dataconstraint',
  agency: 'ECB',
  id: 'EXR_CONSTRAINTS',
  version: '1.0',
  file: 'metadata/dataconstraints/ECB+EXR_CONSTRAINTS+1.0.xml',
  name: 'EXR constraints',
  description: '',
  valid_from: '',
  valid_to: '',
  names: [['en', 'EXR constraints']],
  role: 'Allowed',
  attachments: [{ kind: 'dataflow', agency: 'ECB', id: 'EXR', version: '1.0' }],
  regions: [
    {
      include: true,
      key_values: [{ id: 'CURRENCY', values: ['USD', 'JPY'], include: true }]
    }
  ]
});

const codelist = (): ICodelist => ({
  kind: 'codelist',
  agency: 'ECB',
  id: 'CL_FREQ',
  version: '1.0',
  file: 'metadata/codelists/ECB+CL_FREQ+1.0.xml',
  name: 'Frequency',
  description: '',
  valid_from: '',
  valid_to: '',
  names: [],
  codes: [
    { id: 'A', name: 'Annual', parent: '', names: [['en', 'Annual']] },
    { id: 'M', name: 'Monthly', parent: 'A', names: [['en', 'Monthly']] }
  ]
});

describe('constraint edits', () => {
  it('reads the allowed codes of a dimension, null when it is not restricted', () => {
    expect(allowedCodes(constraint(), 'CURRENCY')).toEqual(['USD', 'JPY']);
    expect(allowedCodes(constraint(), 'FREQ')).toBeNull();
  });

  it('unticking a code removes it; ticking adds it back in codelist order', () => {
    const all = ['JPY', 'GBP', 'USD'];
    const without = toggleCode(constraint(), 'CURRENCY', all, 'USD');
    expect(allowedCodes(without, 'CURRENCY')).toEqual(['JPY']);
    const back = toggleCode(without, 'CURRENCY', all, 'USD');
    expect(allowedCodes(back, 'CURRENCY')).toEqual(['JPY', 'USD']);
  });

  it('restricting an unrestricted dimension allows every code but the one unticked', () => {
    const edited = toggleCode(constraint(), 'FREQ', ['A', 'M', 'D'], 'D');
    expect(allowedCodes(edited, 'FREQ')).toEqual(['A', 'M']);
    expect(allowedCodes(edited, 'CURRENCY')).toEqual(['USD', 'JPY']);
  });

  it('allowing every code drops the dimension from the region and leaves the original alone', () => {
    const original = constraint();
    const edited = withAllowed(original, 'CURRENCY', null);
    expect(edited.regions[0].key_values).toEqual([]);
    expect(allowedCodes(original, 'CURRENCY')).toEqual(['USD', 'JPY']);
  });

  it('refuses a validity period that ends before it starts', () => {
    expect(validityProblem('2027-01-01', '2026-12-31')).toBe(
      'The validity period ends (2026-12-31) before it starts (2027-01-01).'
    );
    expect(validityProblem('2027-01-01', '')).toBe('');
  });
});

describe('codelist edits', () => {
  it('adds a code, refusing a taken or malformed id', () => {
    const added = addCode(codelist(), ' F ', 'Fortnightly');
    expect(typeof added !== 'string' && added.codes.map(c => c.id)).toEqual([
      'A',
      'M',
      'F'
    ]);
    expect(addCode(codelist(), 'A', 'x')).toBe(
      'The codelist already holds code A.'
    );
    expect(addCode(codelist(), 'a b', 'x')).toBe(
      "A code id is letters, digits, _, @, $ or -, not 'a b'."
    );
  });

  it('renames a code and removes one, clearing it as a parent', () => {
    const renamed = renameCode(codelist(), 'A', 'Yearly');
    expect(renamed.codes[0].name).toBe('Yearly');
    const removed = removeCode(codelist(), 'A');
    expect(removed.codes).toEqual([
      { id: 'M', name: 'Monthly', parent: '', names: [['en', 'Monthly']] }
    ]);
  });
});

describe('affectedLine', () => {
  it('says how many stored series use a code taken away, naming them', () => {
    const line = affectedLine({
      flow: 'ECB:EXR',
      dimension: 'CURRENCY',
      code: 'USD',
      series: 7,
      examples: ['M.USD.EUR.SP00.A', 'D.USD.EUR.SP00.A'],
      sentence: ''
    });
    expect(line).toBe(
      'USD (CURRENCY of ECB:EXR): 7 stored series use this code — M.USD.EUR.SP00.A, D.USD.EUR.SP00.A, …'
    );
  });

  it('speaks of one series in the singular', () => {
    const line = affectedLine({
      flow: 'ECB:EXR',
      dimension: 'CURRENCY',
      code: 'JPY',
      series: 1,
      examples: ['M.JPY.EUR.SP00.A'],
      sentence: ''
    });
    expect(line).toBe(
      'JPY (CURRENCY of ECB:EXR): 1 stored series uses this code — M.JPY.EUR.SP00.A'
    );
  });
});

describe('deprecateCode', () => {
  const list = (): ICodelist => ({
    kind: 'codelist',
    agency: 'ECB',
    id: 'CL_CURRENCY',
    version: '1.0',
    file: '',
    name: 'Currencies',
    description: '',
    valid_from: '',
    valid_to: '',
    names: [],
    codes: [
      { id: 'GBP', name: 'Pound', parent: '', names: [] },
      { id: 'USD', name: 'Dollar', parent: '', names: [] }
    ]
  });

  it('dates one code and takes the deprecation back', () => {
    const deprecated = deprecateCode(list(), 'GBP', '2027-01-01');
    expect(deprecated.codes.map(c => c.deprecated)).toEqual([
      '2027-01-01',
      undefined
    ]);
    expect(deprecateCode(deprecated, 'GBP', '').codes[0]).toEqual(
      list().codes[0]
    );
  });
});

describe('removalRefusal', () => {
  it('refuses removing codes stored series use and says to deprecate', () => {
    const used = {
      flow: 'ECB:EXR',
      dimension: 'CURRENCY',
      series: 2,
      examples: [],
      sentence: ''
    };
    expect(removalRefusal([])).toBe('');
    expect(
      removalRefusal([
        { ...used, code: 'GBP' },
        { ...used, flow: 'ECB:OTHER', code: 'GBP' },
        { ...used, code: 'JPY' }
      ])
    ).toBe(
      'Stored series still use GBP, JPY: a code in use cannot be removed. Deprecate it instead.'
    );
  });
});
