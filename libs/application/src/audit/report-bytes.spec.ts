import { normaliseQuery, type KeyAccessEntry } from './key-access';
import { checkReport, reportHeader, ReportWriter } from './report';

/**
 * The exact bytes of a CSV report, computed with the CSV writer as it stood before it was shared
 * with the analytics export. `check-report` re-renders every line and compares, so a report
 * written last year must still check: these bytes never change without a new format version.
 * Non-ASCII is written as escapes so that no editor can normalise it.
 */
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
const entries = [
  access(),
  access({ eventId: 'e-2', kind: 'software-downloaded', eventType: 'SoftwareDownloaded', actorSub: null, actorTid: null, actorRoles: null, clientIp: '198.51.100.1', clientUserAgent: 'Mozilla/5.0 (X11; "quoted", comma)\r\nsecond line', keyFingerprint: null, linkId: 'l-1' }),
  access({ eventId: 'e-3', actorSub: '=HYPERLINK("http://evil.example")', sku: "'apostrophe", version: '', language: '+cmd', fileType: '-x', clientUserAgent: '@user' }),
  access({
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
  }),
];

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

describe('the CSV report: the stored bytes', () => {
  it('writes these bytes for these entries, and checks them as intact', () => {
    const writer = new ReportWriter('csv', reportHeader(query));
    const text = writer.start() + entries.map((e) => writer.add(e)).join('') + writer.finish();
    expect(text).toBe(PINNED);
    expect(checkReport(PINNED)).toEqual(expect.objectContaining({ intact: true, entries: 4, finalDigest: 'c79bb34b50ab57ed8f2bc79b973ad1d6605c05bdc1cf6e530f09e00046782a5a' }));
  });
});
