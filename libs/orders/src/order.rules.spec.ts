import type { Selection } from './order.events';
import { at, bought, cancel, download, given, H, history, issue, purchase, reveal, T0 } from './testing/orders';

// The checks every command on a placed order makes (order.rules.ts), whichever command it is.

describe.each([
  ['RevealKey', reveal],
  ['IssueDownloadLink', (now: string) => issue(now)],
  ['RecordDownload', (now: string) => download(now)],
  ['CancelOrder', (now: string) => cancel(now)],
])('%s', (_name, command) => {
  it('refuses an order that does not exist', () => {
    given().when(command(T0)).thenThrows('not-found', 'order_not_found');
  });
});

describe.each([
  ['RevealKey', (over: Partial<Selection>, now = T0) => reveal(now, over), ['ProductKeyAssigned', 'ProductKeyRevealed']],
  ['IssueDownloadLink', (over: Partial<Selection>, now = T0) => issue(now, 'l', over), ['DownloadLinkIssued']],
])('%s of a selection', (_name, select, accepted) => {
  it('accepts a version the downgrade rights cover', () => {
    given(bought)
      .when(select({ version: '2019' }))
      .then((events) => expect(events.map((e) => e.type)).toEqual(accepted));
  });

  it.each([
    [{ line: 2 }, 'unknown_line', 'line'],
    [{ line: 0 }, 'unknown_line', 'line'],
    [{ version: '2016' }, 'version_not_entitled', 'version'],
    [{ language: 'ja-jp' }, 'language_not_available', 'language'],
    [{ language: 'xx-xx' }, 'language_not_available', 'language'],
    [{ fileType: 'arm64' }, 'file_type_not_available', 'fileType'],
    [{ fileType: 'x86' }, 'file_type_not_available', 'fileType'],
  ])('refuses %p with %s, naming the field', (over, code, field) => {
    given(bought).when(select(over)).thenThrows('invalid', code, { field });
  });

  it('refuses a cancelled line', () => {
    given(history(purchase(), cancel(T0)))
      .when(select({}, at(T0, H)))
      .thenThrows('conflict', 'line_cancelled');
  });
});
