import { agentBy, at, bought, cancel, client, D, download, eventOf, given, H, history, issue, orderRef, purchase, sel, stateOf, T0 } from '../testing/orders';
import { LINK_LIFETIME_MS, LINK_MAX_DOWNLOADS } from './issue-download-link.decide';

const downloads = (count: number, from = T0, linkId = 'link-1') => Array.from({ length: count }, (_, i) => download(at(from, i * 1000), linkId));

describe('IssueDownloadLink', () => {
  it('issues a link for a selection that expires exactly 14 days later, after 50 downloads at most', () => {
    given(bought)
      .when(issue(T0))
      .then([
        {
          type: 'DownloadLinkIssued',
          data: {
            ...orderRef,
            ...sel(),
            sku: 'WS-STD',
            linkId: 'link-1',
            tokenHash: 'hash-link-1',
            issuedAt: T0,
            expiresAt: '2026-03-16T10:00:00.000Z',
            maxDownloads: 50,
            issuedBy: agentBy,
          },
        },
      ]);
    expect([LINK_LIFETIME_MS, LINK_MAX_DOWNLOADS]).toEqual([14 * D, 50]);
  });

  it('counts 14 days in exact hours, across month ends and daylight-saving dates alike (UTC)', () => {
    given(bought)
      .when(issue('2026-03-25T23:30:00.000Z'))
      .then(([e]) => expect(eventOf(e, 'DownloadLinkIssued').expiresAt).toBe('2026-04-08T23:30:00.000Z'));
  });

  // The selection rights, the same as keys', and an order that does not exist: order.rules.spec.ts.

  it('evolves the link into the order with no download counted yet', () => {
    const state = stateOf(history(purchase(), issue(T0)));
    expect(state.status === 'placed' && state.links.get('link-1')).toEqual({
      linkId: 'link-1',
      ...sel(),
      tokenHash: 'hash-link-1',
      issuedAt: T0,
      expiresAt: '2026-03-16T10:00:00.000Z',
      maxDownloads: 50,
      downloads: 0,
      revoked: false,
    });
  });
});

describe('RecordDownload', () => {
  const withLink = history(purchase(), issue(T0));

  it('records who downloaded, when, and how many downloads are left', () => {
    given(withLink)
      .when(download(at(T0, H)))
      .then([
        {
          type: 'SoftwareDownloaded',
          data: { ...orderRef, ...sel(), sku: 'WS-STD', linkId: 'link-1', downloadedAt: at(T0, H), downloadNumber: 1, downloadsRemaining: 49, client },
        },
      ]);
  });

  it('allows the 50th download and refuses the 51st as gone', () => {
    given(history(purchase(), issue(T0), ...downloads(49)))
      .when(download(at(T0, H)))
      .then(([e]) => expect([eventOf(e, 'SoftwareDownloaded').downloadNumber, eventOf(e, 'SoftwareDownloaded').downloadsRemaining]).toEqual([50, 0]));
    given(history(purchase(), issue(T0), ...downloads(50)))
      .when(download(at(T0, H)))
      .thenThrows('gone', 'link_exhausted');
  });

  it('works until the last millisecond of day 14 and is gone at and after its expiry', () => {
    given(withLink)
      .when(download(at(T0, 14 * D - H)))
      .then((events) => expect(events).toHaveLength(1));
    given(withLink)
      .when(download(at(T0, 14 * D - 1)))
      .then((events) => expect(events).toHaveLength(1));
    given(withLink)
      .when(download(at(T0, 14 * D)))
      .thenThrows('gone', 'link_expired');
    given(withLink)
      .when(download(at(T0, 14 * D + H)))
      .thenThrows('gone', 'link_expired');
  });

  it('counts nothing on a refused download', () => {
    const exhausted = history(purchase(), issue(T0), ...downloads(50));
    const before = stateOf(exhausted);
    given(exhausted)
      .when(download(at(T0, H)))
      .thenThrows('gone', 'link_exhausted');
    expect(stateOf(exhausted)).toEqual(before);
  });

  it('reports a revoked link as revoked even once it has also expired, and an expired one before an exhausted one', () => {
    const revoked = history(purchase(), issue(T0), cancel(at(T0, H)));
    given(revoked)
      .when(download(at(T0, 2 * H)))
      .thenThrows('gone', 'link_revoked');
    given(revoked)
      .when(download(at(T0, 15 * D)))
      .thenThrows('gone', 'link_revoked');
    given(history(purchase(), issue(T0), ...downloads(50)))
      .when(download(at(T0, 14 * D)))
      .thenThrows('gone', 'link_expired');
  });

  it('refuses an unknown token as not found', () => {
    given(withLink).when(download(T0, 'other')).thenThrows('not-found', 'link_not_found');
  });
});

describe('issuing again for the same selection', () => {
  it('activates a fresh link with another 14 days and 50 downloads', () => {
    const past = history(purchase(), issue(T0), ...downloads(50), issue(at(T0, 13 * D), 'link-2'));
    given(past)
      .when(download(at(T0, 13 * D), 'link-2'))
      .then(([e]) => expect([eventOf(e, 'SoftwareDownloaded').linkId, eventOf(e, 'SoftwareDownloaded').downloadsRemaining]).toEqual(['link-2', 49]));
    given(past)
      .when(download(at(T0, 27 * D - 1), 'link-2'))
      .then((events) => expect(events).toHaveLength(1));
    given(past)
      .when(download(at(T0, 27 * D), 'link-2'))
      .thenThrows('gone', 'link_expired');
  });

  it('leaves earlier links valid until their own limits', () => {
    const past = history(purchase(), issue(T0), ...downloads(10), issue(at(T0, 5 * D), 'link-2'));
    given(past)
      .when(download(at(T0, 6 * D)))
      .then(([e]) => expect(eventOf(e, 'SoftwareDownloaded').downloadNumber).toBe(11));
    given(past)
      .when(download(at(T0, 14 * D)))
      .thenThrows('gone', 'link_expired');
    given(past)
      .when(download(at(T0, 14 * D), 'link-2'))
      .then((events) => expect(events).toHaveLength(1));
    given(history(purchase(), issue(T0), ...downloads(50), issue(at(T0, D), 'link-2')))
      .when(download(at(T0, D)))
      .thenThrows('gone', 'link_exhausted');
  });
});
