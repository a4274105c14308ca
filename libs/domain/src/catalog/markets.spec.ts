import { isMarketCode, isUserAssignedCode, parseMarkets } from './markets';

describe('markets', () => {
  const source = 'ISO 3166 Maintenance Agency';

  it('are the codes of the data file, checked for their shape', () => {
    const markets = parseMarkets({ source, codes: { FR: 'France', AX: 'Åland Islands' } });
    expect(markets.codes).toEqual(['AX', 'FR']);
    expect(['FR', 'AX', 'fr', 'DE', 'XX'].map((code) => markets.isAssigned(code))).toEqual([true, true, false, false, false]);
    expect(['FR', 'fr', 'FRA', '', 'F1', ' FR'].map(isMarketCode)).toEqual([true, false, false, false, false, false]);
  });

  it('know the user-assigned codes: AA, QM to QZ, XA to XZ and ZZ', () => {
    const userAssigned = ['AA', 'QM', 'QQ', 'QZ', 'XA', 'XK', 'XX', 'XZ', 'ZZ'];
    expect(userAssigned.filter(isUserAssignedCode)).toEqual(userAssigned);
    expect(['AB', 'QA', 'QL', 'ZW', 'FR', 'YX'].filter(isUserAssignedCode)).toEqual([]);
  });

  it.each([
    [{ codes: { FR: 'France' } }, /source/],
    [{ source, codes: {} }, /empty/],
    [{ source, codes: ['FR'] }, /expected/],
    [{ source }, /expected/],
    [{ source, codes: { FR: 'France', fr: 'France' } }, /"fr" is not an alpha-2 code/],
    [{ source, codes: { FRA: 'France' } }, /"FRA" is not an alpha-2 code/],
    [{ source, codes: { XK: 'Kosovo' } }, /"XK" is a user-assigned code/],
    [{ source, codes: { ZZ: 'Unknown' } }, /"ZZ" is a user-assigned code/],
    [{ source, codes: { FR: '' } }, /"FR" needs the country's name/],
  ])('refuse a file that is not a list of assigned codes: %p', (raw, message) => {
    expect(() => parseMarkets(raw)).toThrow(message);
  });
});
