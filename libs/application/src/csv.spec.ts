import { csvRecords } from './csv';

describe('the CSV writer', () => {
  it('quotes a comma, a double quote (doubled), a CR or an LF whatever the record delimiter, and an empty text', () => {
    expect(csvRecords([['a,b', 'say "hi"', 'a\rb', 'a\nb', '', 'plain']], '\n')).toBe('"a,b","say ""hi""","a\rb","a\nb","",plain\n');
    expect(csvRecords([['a\rb', 'a\nb']], '\r\n')).toBe('"a\rb","a\nb"\r\n');
  });

  it('writes null and undefined as an empty cell, numbers and flags as JavaScript prints them', () => {
    expect(csvRecords([[null, undefined, -5, 0.5, 1e21, true, false]], '\r\n')).toBe(',,-5,0.5,1e+21,true,false\r\n');
  });

  it('defuses text a spreadsheet would run (= + - @ tab CR), and doubles a leading apostrophe so the guard comes off exactly', () => {
    expect(csvRecords([['=1+1', '+cmd', '-x', '@SUM(A1)', '\tx', "'quoted", "it's", 'a=b']], '\n')).toBe(`'=1+1,'+cmd,'-x,'@SUM(A1),'\tx,''quoted,it's,a=b\n`);
    expect(csvRecords([['\rx', '=HYPERLINK("http://evil.example")']], '\n')).toBe(`"'\rx","'=HYPERLINK(""http://evil.example"")"\n`);
  });

  it('ends every record, the last included, with the delimiter', () => {
    expect(csvRecords([['a'], [], ['b']], '\r\n')).toBe('a\r\n\r\nb\r\n');
  });
});
