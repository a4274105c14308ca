import { canonicalJson } from '../../../application/src/canonical-json';
import { normaliseQuery, type KeyAccessEntry } from '../key-access-history.rules';
import { chainDigest, checkReport, headerDigest, printable, reportHeader, ReportWriter, sha256, type ReportFormat } from './report';

const query = normaliseQuery({ partnerTenantId: 'p-1', from: '2026-03-01', to: '2026-03-31' });
const access = (over: Partial<KeyAccessEntry> = {}): Omit<KeyAccessEntry, 'seq'> => ({
  position: '17',
  eventId: 'e-1',
  eventType: 'ProductKeyRevealed',
  streamId: 'order-o-1',
  revision: 2,
  kind: 'key-revealed',
  at: '2026-03-02T10:00:00.000Z',
  actorSub: 'agent-1',
  actorTid: 'p-1',
  actorRoles: 'admin-agent;global-admin',
  clientIp: null,
  clientUserAgent: null,
  partnerTenantId: 'p-1',
  customerTenantId: 't-1',
  customerId: 'c-1',
  orderId: 'o-1',
  line: 1,
  sku: 'WS2025-STD',
  version: '2025',
  language: 'en-us',
  fileType: 'x64',
  keyFingerprint: 'sha256:ab',
  linkId: null,
  correlationId: 'corr-1',
  ...over,
});
/** Values a CSV writer gets wrong: separators, quotes, line breaks, formulas, apostrophes, empty text. */
const tricky = [
  access(),
  access({
    eventId: 'e-2',
    kind: 'software-downloaded',
    eventType: 'SoftwareDownloaded',
    actorSub: null,
    actorTid: null,
    actorRoles: null,
    clientIp: '198.51.100.1',
    clientUserAgent: 'Mozilla/5.0 (X11; "quoted", comma)\r\nsecond line',
    keyFingerprint: null,
    linkId: 'l-1',
  }),
  access({
    eventId: 'e-3',
    actorSub: '=HYPERLINK("http://evil.example")',
    sku: "'apostrophe",
    version: '',
    language: '+cmd',
    fileType: '-x',
    clientUserAgent: '@user',
  }),
  access({ eventId: 'e-4', position: '12/10', actorSub: 'ünïcødé — 東京' }),
];
const report = (format: ReportFormat, entries = tricky) => {
  const writer = new ReportWriter(format, reportHeader(query));
  return writer.start() + entries.map((e) => writer.add(e)).join('') + writer.finish();
};

describe('report digest chain', () => {
  it('canonical JSON sorts keys at every level and has one text per value', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: 'x' }], c: true } })).toBe('{"a":{"c":true,"d":[2,{"y":"x","z":null}]},"b":1}');
  });

  it('chains sha256(previous + canonical entry) from the header digest, the same in every format', () => {
    const header = reportHeader(query);
    let previous = sha256(canonicalJson(header));
    expect(headerDigest(header)).toBe(previous);
    tricky.forEach((e, i) => (previous = sha256(previous + canonicalJson({ seq: i + 1, ...e }))));
    for (const format of ['csv', 'jsonl', 'table'] as const) {
      const writer = new ReportWriter(format, header);
      tricky.forEach((e) => writer.add(e));
      expect(writer.finalDigest).toBe(previous);
      expect(writer.finish()).toContain(previous);
    }
    expect(chainDigest('x', { seq: 1, ...tricky[0]! })).toBe(sha256(`x${canonicalJson({ seq: 1, ...tricky[0]! })}`));
  });

  it.each(['csv', 'jsonl'] as const)('a %s report with awkward values checks as intact, and round-trips them exactly', (format) => {
    const text = report(format);
    const check = checkReport(text);
    expect(check).toEqual(expect.objectContaining({ intact: true, format, entries: 4, problems: [] }));
    expect(check.header?.query).toEqual(query);
    expect(check.finalDigest).toBe(checkReport(report(format === 'csv' ? 'jsonl' : 'csv')).finalDigest);
    if (format === 'csv') {
      expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`); // no formula for a spreadsheet to run
      expect(text).toContain(",'+cmd,'-x,");
    }
  });

  it.each(['csv', 'jsonl'] as const)('any single changed byte of a %s report is noticed', (format) => {
    const bytes = Buffer.from(report(format));
    let missed = 0;
    for (let i = 0; i < bytes.length; i++) {
      const edited = Buffer.from(bytes);
      edited[i] = edited[i] === 0x30 ? 0x31 : 0x30; // '0' ↔ another digit or character
      if (checkReport(edited.toString('utf8')).intact) missed++;
    }
    expect(missed).toBe(0);
  });

  it('notices removed, duplicated and reordered lines, a truncated file, and an empty report changed', () => {
    const lines = report('jsonl').split('\n');
    const variants = [
      [...lines.slice(0, 2), ...lines.slice(3)], // an entry removed
      [...lines.slice(0, 2), lines[1]!, ...lines.slice(2)], // an entry repeated
      [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)], // two entries swapped
      lines.slice(0, -2), // trailer cut off
    ];
    for (const variant of variants) expect(checkReport(variant.join('\n')).intact).toBe(false);
    expect(checkReport(report('csv').slice(0, -1)).intact).toBe(false);
    const empty = report('csv', []);
    expect(checkReport(empty)).toEqual(expect.objectContaining({ intact: true, entries: 0, finalDigest: headerDigest(reportHeader(query)) }));
    expect(checkReport(empty.replace('entries=0', 'entries=1')).intact).toBe(false);
  });

  it('explains that a table cannot be checked, and refuses what is not a report', () => {
    expect(checkReport(report('table')).problems[0]!.message).toMatch(/export with --format csv or jsonl/);
    expect(checkReport('seq,at\n1,2\n').problems[0]!.message).toMatch(/not a key-access report/);
  });
});

describe('the table, for a terminal', () => {
  const hostile = access({ eventId: 'e-9', actorSub: 'evil\x1b]0;owned\x07\x1b[2J\u009b31m\u202egnp.exe\u2066x\u2069\\x1b', sku: 'SKU\r\nforged line' });

  it('escapes control characters (C0, DEL, C1) and bidirectional controls, and backslashes', () => {
    expect(printable('a\x1b[31m\x07\x7f\u0085\u009b\u202a\u202e\u2066\u2069\u200f\\ é 東京')).toBe(
      'a\\x1b[31m\\x07\\x7f\\x85\\x9b\\u202a\\u202e\\u2066\\u2069\\u200f\\\\ é 東京',
    );
    const table = report('table', [hostile]);
    expect([...table].filter((c) => /[\p{Cc}\p{Bidi_Control}]/u.test(c) && c !== '\n')).toEqual([]); // only the rows' own newlines
    expect(table).toContain('evil\\x1b]0;owned\\x07');
    expect(table.split('\n').filter((line) => line.includes('forged line'))).toEqual([expect.stringContaining('SKU\\x0d\\x0aforged line')]);
  });

  it.each(['csv', 'jsonl'] as const)('leaves the %s bytes exactly as the events have them (the chain covers them)', (format) => {
    const text = report(format, [hostile]);
    expect(format === 'csv' ? text : JSON.parse(text.split('\n')[1]!).entry.actorSub).toContain(hostile.actorSub!);
    expect(checkReport(text).intact).toBe(true);
  });
});

/**
 * The exact bytes of a CSV report, computed with the CSV writer as it stood before it was shared
 * with the analytics export (libs/application/src/csv.ts). `check-report` re-renders every line
 * and compares, so a report written last year must still check: these bytes never change without
 * a new format version. Non-ASCII is written as escapes so that no editor can normalise it.
 */
describe('the CSV report: the stored bytes', () => {
  const awkward = access({
    eventId: 'e-4',
    position: '12/10',
    revision: 0,
    line: 12,
    actorSub: '\u00fcn\u00efc\u00f8d\u00e9 \u2014 \u6771\u4eac',
    actorTid: '\tTAB',
    actorRoles: '\rCR',
    clientIp: '',
    clientUserAgent: "'",
    correlationId: "''=",
    keyFingerprint: '\uff1d1+1', // a full-width '=': not in the guard's list
    linkId: 'x=1,y="2"',
  });
  const PINNED =
    '# csp.key-access-history report, format 1; header: {"eventTypes":["ProductKeyRevealed","DownloadLinkIssued","SoftwareDownloaded"],"formatVersion":1,"order":"global-position","query":{"from":"2026-03-01T00:00:00.000Z","partnerTenantId":"p-1","to":"2026-03-31T23:59:59.999Z"},"range":"inclusive, on the access instant (revealedAt, issuedAt, downloadedAt)","report":"csp.key-access-history"}\n' +
    '# header-digest: 527d73a80db0c5ff674d5a9622b32ca51fd5b0f671a2e854f9dbd92f755fbfc2\n' +
    'seq,position,eventId,eventType,streamId,revision,kind,at,actorSub,actorTid,actorRoles,clientIp,clientUserAgent,partnerTenantId,customerTenantId,customerId,orderId,line,sku,version,language,fileType,keyFingerprint,linkId,correlationId,digest\n' +
    '1,17,e-1,ProductKeyRevealed,order-o-1,2,key-revealed,2026-03-02T10:00:00.000Z,agent-1,p-1,admin-agent;global-admin,,,p-1,t-1,c-1,o-1,1,WS2025-STD,2025,en-us,x64,sha256:ab,,corr-1,a5a87b70b5b272746e5a3146be921601131cc2ba0cafb75f542e57cd2c0fcdc8\n' +
    '2,17,e-2,SoftwareDownloaded,order-o-1,2,software-downloaded,2026-03-02T10:00:00.000Z,,,,198.51.100.1,"Mozilla/5.0 (X11; ""quoted"", comma)\r\n' +
    'second line",p-1,t-1,c-1,o-1,1,WS2025-STD,2025,en-us,x64,,l-1,corr-1,982eb6af85a927826f05469a225701ddeac7d3d5b3d69acf97779a9a7b26ec14\n' +
    '3,17,e-3,ProductKeyRevealed,order-o-1,2,key-revealed,2026-03-02T10:00:00.000Z,"\'=HYPERLINK(""http://evil.example"")",p-1,admin-agent;global-admin,,\'@user,p-1,t-1,c-1,o-1,1,\'\'apostrophe,"",\'+cmd,\'-x,sha256:ab,,corr-1,9a98655bff775c4616ddc69c92b6b1143b4772fa63c2b2c8a7d17dbab6f56a82\n' +
    '4,12/10,e-4,ProductKeyRevealed,order-o-1,0,key-revealed,2026-03-02T10:00:00.000Z,\u00fcn\u00efc\u00f8d\u00e9 \u2014 \u6771\u4eac,\'\tTAB,"\'\rCR","",\'\',p-1,t-1,c-1,o-1,12,WS2025-STD,2025,en-us,x64,\uff1d1+1,"x=1,y=""2""",\'\'\'=,c79bb34b50ab57ed8f2bc79b973ad1d6605c05bdc1cf6e530f09e00046782a5a\n' +
    '# trailer: entries=4 final-digest=c79bb34b50ab57ed8f2bc79b973ad1d6605c05bdc1cf6e530f09e00046782a5a\n';

  it('writes these bytes for these entries, and checks them as intact', () => {
    expect(report('csv', [...tricky.slice(0, 3), awkward])).toBe(PINNED);
    expect(checkReport(PINNED)).toEqual(
      expect.objectContaining({ intact: true, entries: 4, finalDigest: 'c79bb34b50ab57ed8f2bc79b973ad1d6605c05bdc1cf6e530f09e00046782a5a' }),
    );
  });
});
