import { parseId } from './ids';

describe('ids', () => {
  it('reads a UUID in either case as the stored, lower-case id', () => {
    expect(parseId('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(parseId('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
  });

  it.each([
    '',
    'not-an-id',
    '0f8fad5b-d9cb-469f-a165-70867728950',
    ' 0f8fad5b-d9cb-469f-a165-70867728950e',
    '0f8fad5b-d9cb-469f-a165-70867728950e\n',
    '{0f8fad5b-d9cb-469f-a165-70867728950e}',
    '0f8fad5bd9cb469fa16570867728950e',
  ])('names nothing with %p', (text) => {
    expect(parseId(text)).toBeUndefined();
  });

  it('names nothing with what is not text', () => {
    expect(parseId(undefined)).toBeUndefined();
    expect(parseId(['0f8fad5b-d9cb-469f-a165-70867728950e'])).toBeUndefined();
  });
});
