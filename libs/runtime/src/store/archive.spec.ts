import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeArchive } from './archive';

// The backup container is written by hand (archive.ts): the system's tar must list and unpack it
// as it was written, so that an operator can open a backup without this program.
describe('backup archive, read by the system tar', () => {
  it('lists the members in order and unpacks each one byte for byte, whatever its size against the 512-byte blocks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csp-archive-'));
    const sizes = { 'manifest.json': 0, 'events.sqlite': 512 * 7, 'keyring.sqlite': 100_003, 'read-models.sqlite': 1 };
    const contents = Object.fromEntries(Object.entries(sizes).map(([name, size]) => [name, randomBytes(size)]));
    writeFileSync(join(dir, 'events-source'), contents['events.sqlite']!);
    const archive = join(dir, 'backup.tar');
    return writeArchive(archive, [
      { name: 'manifest.json', source: { content: contents['manifest.json']! } },
      { name: 'events.sqlite', source: { file: join(dir, 'events-source') } },
      { name: 'keyring.sqlite', source: { content: contents['keyring.sqlite']! } },
      { name: 'read-models.sqlite', source: { content: contents['read-models.sqlite']! } },
    ]).then(() => {
      expect(execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).trim().split('\n')).toEqual(Object.keys(sizes));
      const out = mkdtempSync(join(tmpdir(), 'csp-archive-out-'));
      execFileSync('tar', ['-xf', archive, '-C', out]);
      for (const [name, bytes] of Object.entries(contents)) expect({ name, same: readFileSync(join(out, name)).equals(bytes) }).toEqual({ name, same: true });
    });
  });
});
