import { itReads, itRefuses } from '../testing/readings';
import { parseId } from './ids';

describe('ids', () => {
  // A UUID in either case.
  itReads('reads %p as the stored, lower-case id %p', parseId, [
    ['0f8fad5b-d9cb-469f-a165-70867728950e', '0f8fad5b-d9cb-469f-a165-70867728950e'],
    ['0F8FAD5B-D9CB-469F-A165-70867728950E', '0f8fad5b-d9cb-469f-a165-70867728950e'],
  ]);

  itRefuses('names nothing with %p', parseId, [
    '',
    'not-an-id',
    '0f8fad5b-d9cb-469f-a165-70867728950',
    ' 0f8fad5b-d9cb-469f-a165-70867728950e',
    '0f8fad5b-d9cb-469f-a165-70867728950e\n',
    '{0f8fad5b-d9cb-469f-a165-70867728950e}',
    '0f8fad5bd9cb469fa16570867728950e',
  ]);

  it('names nothing with what is not text', () => {
    expect(parseId(undefined)).toBeUndefined();
    expect(parseId(['0f8fad5b-d9cb-469f-a165-70867728950e'])).toBeUndefined();
  });
});
