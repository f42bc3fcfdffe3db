import { collectValues, fieldsOf, fromText, toText } from './schemaForm';

const SCHEMA = {
  type: 'object',
  required: ['flow', 'max_missing_share'],
  properties: {
    flow: { type: 'string', title: 'Dataflow' },
    max_missing_share: { type: 'number', minimum: 0, maximum: 0.5 },
    retries: { type: 'integer' },
    mode: { type: 'string', enum: ['full', 'delta'] },
    notify: { type: 'boolean' },
    countries: { type: 'array', items: { type: 'string' } },
    extra: { type: 'object' }
  }
};

describe('a form from a JSON Schema', () => {
  it('has one field per property, typed, with required, bounds and choices', () => {
    const fields = fieldsOf(SCHEMA);
    expect(fields.map(f => [f.key, f.type])).toEqual([
      ['flow', 'string'],
      ['max_missing_share', 'number'],
      ['retries', 'integer'],
      ['mode', 'string'],
      ['notify', 'boolean'],
      ['countries', 'list'],
      ['extra', 'json']
    ]);
    expect(fields[0].title).toBe('Dataflow');
    expect(fields[1]).toMatchObject({
      required: true,
      minimum: 0,
      maximum: 0.5
    });
    expect(fields[3].choices).toEqual(['full', 'delta']);
  });

  it('reads typed text back into values, saying what is wrong', () => {
    const [flow, share, retries, , , countries] = fieldsOf(SCHEMA);
    expect(fromText(share, '0.2')).toEqual({ value: 0.2 });
    expect(fromText(share, 'abc')).toEqual({
      error: 'max_missing_share must be a number.'
    });
    expect(fromText(retries, '1.5')).toEqual({
      error: 'retries must be a whole number.'
    });
    expect(fromText(flow, ' ')).toEqual({ error: 'Dataflow is required.' });
    expect(fromText(retries, '')).toEqual({ omit: true });
    expect(fromText(countries, 'DE, FR,')).toEqual({ value: ['DE', 'FR'] });
    expect(toText(countries, ['DE', 'FR'])).toBe('DE, FR');
  });

  it('collects the values, keeping properties the schema does not name', () => {
    const fields = fieldsOf(SCHEMA);
    const values = { flow: 'ECB:EXR(1.0)', max_missing_share: 0.1, other: 1 };
    expect(
      collectValues(fields, values, { max_missing_share: '0.3', retries: '' })
    ).toEqual({
      values: { flow: 'ECB:EXR(1.0)', max_missing_share: 0.3, other: 1 }
    });
    expect(collectValues(fields, values, { flow: '' })).toEqual({
      error: 'Dataflow is required.'
    });
  });
});
