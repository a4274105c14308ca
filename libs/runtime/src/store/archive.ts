import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { BackupDamagedError, NotABackupError } from './errors';

/**
 * The backup container: a POSIX tar archive (ustar) of regular files, written and read here with
 * Node alone. Tar because any operator can list or unpack a backup with the tools they have
 * (`tar -tvf`, `tar -xf`) without this program; by hand because the product needs only this much
 * of it (regular files, read back in order) and no tar package is a dependency. Sizes beyond
 * ustar's 8 GiB use the base-256 encoding GNU tar and bsdtar read.
 */

const BLOCK = 512;
const CHUNK = 1 << 20;
/** The largest size ustar's 11 octal digits hold. */
const OCTAL_SIZE_LIMIT = 8 ** 11;
/** A manifest is a few hundred bytes: a first member beyond this is not one, and is not unpacked. */
const MAX_FIRST_MEMBER = 1 << 20;

export interface ArchiveMember {
  readonly name: string;
  /** A file to copy in, or the content itself. */
  readonly source: { readonly file: string } | { readonly content: Buffer };
}

export interface ExtractedMember {
  readonly name: string;
  readonly bytes: number;
  /** Hex SHA-256 of the member's content. */
  readonly sha256: string;
  readonly file: string;
}

function field(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, length, 'ascii');
}

const octal = (value: number, digits: number) => `${value.toString(8).padStart(digits, '0')}\0`;

function headerFor(name: string, size: number, mtime: Date): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`Archive member name too long: ${name}`);
  const header = Buffer.alloc(BLOCK);
  field(header, 0, 100, name);
  field(header, 100, 8, octal(0o600, 7));
  field(header, 108, 8, octal(0, 7));
  field(header, 116, 8, octal(0, 7));
  if (size < OCTAL_SIZE_LIMIT) field(header, 124, 12, octal(size, 11));
  else {
    header[124] = 0x80;
    let rest = BigInt(size);
    for (let i = 135; i > 124; i--, rest >>= 8n) header[i] = Number(rest & 0xffn);
  }
  field(header, 136, 12, octal(Math.floor(mtime.getTime() / 1000), 11));
  field(header, 148, 8, '        ');
  field(header, 156, 1, '0');
  field(header, 257, 6, 'ustar\0');
  field(header, 263, 2, '00');
  field(header, 148, 8, `${checksumOf(header).toString(8).padStart(6, '0')}\0 `);
  return header;
}

/** The sum of the header's bytes with its checksum field read as spaces. */
function checksumOf(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

async function writeAll(out: FileHandle, bytes: Buffer): Promise<void> {
  for (let offset = 0; offset < bytes.length;) offset += (await out.write(bytes, offset)).bytesWritten;
}

/**
 * Writes the members, in order, to `destination` (a new file) and syncs it. `onBytes` is told the
 * bytes of content written so far.
 */
export async function writeArchive(destination: string, members: readonly ArchiveMember[], onBytes?: (bytes: number) => void): Promise<void> {
  const out = await open(destination, 'wx', 0o600);
  let written = 0;
  try {
    for (const member of members) {
      const input = 'content' in member.source ? undefined : await open(member.source.file, 'r');
      try {
        const size = input ? (await input.stat()).size : (member.source as { content: Buffer }).content.length;
        await writeAll(out, headerFor(member.name, size, new Date()));
        if (!input) await writeAll(out, (member.source as { content: Buffer }).content);
        const chunk = Buffer.alloc(CHUNK);
        for (let copied = 0; input && copied < size;) {
          const { bytesRead } = await input.read(chunk, 0, Math.min(CHUNK, size - copied), copied);
          if (bytesRead === 0) throw new Error(`${member.name} shrank while it was archived`);
          await writeAll(out, chunk.subarray(0, bytesRead));
          copied += bytesRead;
          onBytes?.((written += bytesRead));
        }
        if (size % BLOCK !== 0) await writeAll(out, Buffer.alloc(BLOCK - (size % BLOCK)));
      } finally {
        await input?.close();
      }
    }
    await writeAll(out, Buffer.alloc(2 * BLOCK));
    await out.sync();
  } finally {
    await out.close();
  }
}

function sizeOf(header: Buffer): number {
  if ((header[124]! & 0x80) !== 0) {
    let size = 0n;
    for (let i = 125; i < 136; i++) size = (size << 8n) | BigInt(header[i]!);
    return Number(size);
  }
  return parseInt(header.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
}

async function readExactly(input: FileHandle, length: number, position: number): Promise<Buffer> {
  const bytes = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await input.read(bytes, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return bytes.subarray(0, filled);
}

/**
 * Unpacks the members named in `expected` into `folder`, hashing each, in the archive's order.
 * The first member must be `first` (the manifest), else the file is not a backup; a header that is
 * not tar, a member the backup does not have, a name given twice or a file cut short is damage.
 */
export async function extractArchive(file: string, folder: string, first: string, expected: ReadonlySet<string>): Promise<ExtractedMember[]> {
  let input: FileHandle;
  try {
    input = await open(file, 'r');
  } catch (error) {
    throw new NotABackupError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    if (!(await input.stat()).isFile()) throw new NotABackupError(`${file} is not a file`);
    const members: ExtractedMember[] = [];
    for (let position = 0; ;) {
      const header = await readExactly(input, BLOCK, position);
      const foreign = (reason: string) =>
        members.length === 0 ? new NotABackupError(`${file} is not a backup: ${reason}`) : new BackupDamagedError(`${file}: ${reason}`);
      if (header.length < BLOCK) throw foreign(members.length === 0 ? 'it is too short' : 'it ends before its last block (cut short)');
      if (header.every((byte) => byte === 0)) break;
      if (header.toString('ascii', 257, 262) !== 'ustar' || checksumOf(header) !== parseInt(header.toString('ascii', 148, 156).trim() || '-1', 8))
        throw foreign(`no archive header at byte ${position}`);
      const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      if (members.length === 0 && name !== first) throw foreign(`its first member is ${JSON.stringify(name)}, not ${first}`);
      if (!expected.has(name) || members.some((m) => m.name === name)) throw foreign(`unexpected member ${JSON.stringify(name)}`);
      const size = sizeOf(header);
      if (members.length === 0 && size > MAX_FIRST_MEMBER) throw foreign(`its ${first} is ${size} bytes, far more than a manifest`);
      position += BLOCK;
      const target = join(folder, name);
      const out = await open(target, 'wx', 0o600);
      const hash = createHash('sha256');
      try {
        for (let copied = 0; copied < size;) {
          const chunk = await readExactly(input, Math.min(CHUNK, size - copied), position + copied);
          if (chunk.length === 0) throw foreign(`${name} is cut short (${copied} of ${size} bytes)`);
          hash.update(chunk);
          await writeAll(out, chunk);
          copied += chunk.length;
        }
      } finally {
        await out.close();
      }
      members.push({ name, bytes: size, sha256: hash.digest('hex'), file: target });
      position += Math.ceil(size / BLOCK) * BLOCK;
    }
    if (members.length === 0) throw new NotABackupError(`${file} is not a backup: it is an empty archive`);
    return members;
  } finally {
    await input.close();
  }
}

/** Hex SHA-256 of a file's content. */
export async function sha256OfFile(file: string): Promise<string> {
  const input = await open(file, 'r');
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(CHUNK);
    for (let position = 0; ;) {
      const { bytesRead } = await input.read(chunk, 0, CHUNK, position);
      if (bytesRead === 0) return hash.digest('hex');
      hash.update(chunk.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await input.close();
  }
}
