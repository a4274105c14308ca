import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { requestHash } from './ids';

/**
 * The bytes are stored: request hashes in PurchaseSoftware events (an idempotent retry must hash
 * to the same value for ever) and the audit chain's digests. These texts and hashes were computed
 * with the code as it stood before the two canonical-JSON functions became one; they must never
 * change. Non-ASCII is written as escapes so that no editor can normalise it.
 */
const PINNED: readonly (readonly [name: string, value: unknown, text: string, sha256: string])[] = [
  [
    'a purchase request',
    {
      customerId: '3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f',
      lines: [
        { sku: 'WS2025-STD', quantity: 2 },
        { quantity: 10000, sku: 'SQL2022-ENT' },
      ],
    },
    '{"customerId":"3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f","lines":[{"quantity":2,"sku":"WS2025-STD"},{"quantity":10000,"sku":"SQL2022-ENT"}]}',
    '8c78724d193c75ebc3ac56b8bbd25131d28243c1547ce39b887a794191603eb7',
  ],
  [
    'nested objects and arrays',
    { b: [3, [2, [1]], { y: { b: 2, a: 1 }, x: [] }], a: {}, c: [null, true, false] },
    '{"a":{},"b":[3,[2,[1]],{"x":[],"y":{"a":1,"b":2}}],"c":[null,true,false]}',
    '49f725e2c755cd16eb7d632cfd5052f73aaa08a7708ac193e1b1ba0538d96f68',
  ],
  [
    'undefined properties left out',
    { z: undefined, a: 1, m: { q: undefined, p: 'p' } },
    '{"a":1,"m":{"p":"p"}}',
    '3fbe501fdda1535c01d58798def80d28327e6e5014aadebf5f6800a51e4c46f2',
  ],
  [
    'unicode text and keys',
    {
      '\u00e9': 'caf\u00e9 \u2615 \u{1d11e} \u65e5\u672c\u8a9e',
      e: 'quote " apostrophe \' backslash \\ slash / tab \t newline \n',
      Z: '\u0000\u001f\u007f\u2028\u2029',
      '\u{1d49c}': 'astral key',
      '\ud800': 'lone \udc00 surrogate',
    },
    '{"Z":"\\u0000\\u001f\u007f\u2028\u2029","e":"quote \\" apostrophe \' backslash \\\\ slash / tab \\t newline \\n","\u00e9":"caf\u00e9 \u2615 \ud834\udd1e \u65e5\u672c\u8a9e","\\ud800":"lone \\udc00 surrogate","\ud835\udc9c":"astral key"}',
    '31eef229d5a94147ea492b01df1c3a44a6cd965b92288b501ef927483434af3e',
  ],
  [
    'numbers',
    [0, -0, 1, -1, 0.1, 0.30000000000000004, 1e21, 1e-7, -1.5e-7, 123456789012345680000, 2 ** 53 + 1, 19900, Number.MAX_VALUE, Number.MIN_VALUE],
    '[0,0,1,-1,0.1,0.30000000000000004,1e+21,1e-7,-1.5e-7,123456789012345680000,9007199254740992,19900,1.7976931348623157e+308,5e-324]',
    '1fcf5d9429a98111e5d5dd68b09bd1d37d6af9f1c9d78c976224b67f69ed83bd',
  ],
  ['scalars', ['', 'x', 0, true, null], '["","x",0,true,null]', 'b7b0dedc093743ba930db1b83e71516c7e22f782923cf928c32b3ca09d833917'],
  [
    'keys sorted by UTF-16 code unit',
    { b: 1, B: 2, a: 3, A: 4, '10': 5, '9': 6, '': 7, aa: 8, 'a b': 9 },
    '{"":7,"10":5,"9":6,"A":4,"B":2,"a":3,"a b":9,"aa":8,"b":1}',
    '5b631550bacc84a958710844ee1db210de5112593ec3af1bdf464db7bf1098dc',
  ],
];

describe('canonical JSON: the stored bytes', () => {
  it.each(PINNED)('%s', (_name, value, text, sha256) => {
    expect(canonicalJson(value)).toBe(text);
    expect(createHash('sha256').update(text, 'utf8').digest('hex')).toBe(sha256);
    expect(requestHash(value)).toBe(sha256);
  });
});

describe('canonical JSON: what has no text', () => {
  it('refuses undefined (whole or in an array) and non-finite numbers rather than writing them as something else', () => {
    for (const value of [undefined, [1, undefined], { a: [NaN] }, Infinity]) expect(() => canonicalJson(value)).toThrow(/^canonicalJson: /);
  });
});
