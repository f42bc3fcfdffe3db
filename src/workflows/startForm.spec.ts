import { IFormField } from './api';
import { checkStart, initialInput, IStartMessages } from './startForm';

const M: IStartMessages = {
  required: 'required',
  wholeNumber: 'whole',
  number: 'number',
  date: 'date',
  option: 'option',
  name: 'name',
  duplicate: 'duplicate',
  json: 'json',
  boolean: 'boolean'
};

const field = (
  id: string,
  type: string,
  extra: Partial<IFormField> = {}
): IFormField => ({
  id,
  label: id,
  type,
  default: null,
  required: false,
  options: {},
  ...extra
});

describe('start form', () => {
  const fields = [
    field('flow', 'string', { required: true, default: 'EXR' }),
    field('rows', 'long'),
    field('frequency', 'enum', {
      options: { M: 'Monthly', Q: 'Quarterly' },
      default: 'M'
    }),
    field('dry_run', 'boolean', { default: false })
  ];

  it('starts from the defaults, the Data panel selection taking precedence', () => {
    const input = initialInput(fields, { flow: 'ICP' });
    expect(input.fields).toEqual({
      flow: 'ICP',
      rows: '',
      frequency: 'M',
      dry_run: false
    });
    expect(initialInput([], { flow: 'ICP' }).rows).toEqual([
      { name: 'flow', type: 'string', value: 'ICP' }
    ]);
  });

  it('reports each wrong field and builds typed variables when all are right', () => {
    const input = initialInput(fields, {});
    input.fields.flow = ' ';
    input.fields.rows = '12.5';
    input.fields.frequency = 'X';
    expect(checkStart(fields, input, M)).toEqual({
      ok: false,
      errors: {
        'field:flow': 'required',
        'field:rows': 'whole',
        'field:frequency': 'option'
      }
    });
    input.fields.flow = 'EXR';
    input.fields.rows = '12';
    input.fields.frequency = 'Q';
    input.fields.dry_run = true;
    input.businessKey = ' EXR-2026-10 ';
    expect(checkStart(fields, input, M)).toEqual({
      ok: true,
      variables: { flow: 'EXR', rows: 12, frequency: 'Q', dry_run: true },
      businessKey: 'EXR-2026-10'
    });
  });

  it('checks free variables: names, duplicates and typed values', () => {
    const input = initialInput([], {});
    input.rows = [
      { name: 'period', type: 'string', value: '2026-10' },
      { name: '2bad', type: 'string', value: 'x' },
      { name: 'period', type: 'long', value: 'ten' },
      { name: 'cfg', type: 'json', value: '{"a": 1}' },
      { name: '', type: 'string', value: '' }
    ];
    expect(checkStart([], input, M)).toEqual({
      ok: false,
      errors: {
        'row:1:name': 'name',
        'row:2:name': 'duplicate',
        'row:2:value': 'whole'
      }
    });
    input.rows = [input.rows[0], input.rows[3]];
    expect(checkStart([], input, M)).toEqual({
      ok: true,
      variables: { period: '2026-10', cfg: { a: 1 } },
      businessKey: null
    });
  });
});
