import { existsSync, readFileSync } from 'node:fs';

/** What a write-ahead log left by an unclean stop holds, read before SQLite recovers it. */
export interface WalInspection {
  readonly bytes: number;
  /** Frames up to and including the last valid commit frame: what SQLite will keep. */
  readonly committedFrames: number;
  readonly commits: number;
  /** Bytes after the last valid commit (a torn or corrupted tail, or an unfinished transaction). */
  readonly discardedBytes: number;
  readonly reason?: string;
}

/**
 * Walks the WAL the way SQLite recovery does (https://www.sqlite.org/fileformat.html#the_write_ahead_log):
 * a frame is valid while its salts match the header's and its cumulative checksum holds; frames
 * after the last valid commit frame are dropped. Reporting what will be dropped, before SQLite
 * silently drops it, is how start-up tells an operator that a tail was torn or corrupted.
 */
export function inspectWal(databaseFile: string): WalInspection | undefined {
  const walFile = `${databaseFile}-wal`;
  if (!existsSync(walFile)) return undefined;
  const wal = readFileSync(walFile);
  if (wal.length === 0) return undefined;
  if (wal.length < 32) return { bytes: wal.length, committedFrames: 0, commits: 0, discardedBytes: wal.length, reason: 'the WAL header is incomplete' };
  const magic = wal.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683)
    return { bytes: wal.length, committedFrames: 0, commits: 0, discardedBytes: wal.length, reason: 'the WAL header is not valid' };
  const bigEndian = magic === 0x377f0683;
  const pageSize = wal.readUInt32BE(8) === 1 ? 65536 : wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let [s0, s1] = checksum(wal, 0, 24, bigEndian, 0, 0);
  if (s0 !== wal.readUInt32BE(24) || s1 !== wal.readUInt32BE(28)) {
    return { bytes: wal.length, committedFrames: 0, commits: 0, discardedBytes: wal.length - 32, reason: 'the WAL header checksum does not match' };
  }
  const frameSize = 24 + pageSize;
  let offset = 32;
  let frames = 0;
  let committedFrames = 0;
  let commits = 0;
  let committedEnd = 32;
  let reason: string | undefined;
  while (offset + frameSize <= wal.length) {
    if (wal.readUInt32BE(offset + 8) !== salt1 || wal.readUInt32BE(offset + 12) !== salt2) {
      reason = `frame ${frames + 1} belongs to another WAL generation or is garbage`;
      break;
    }
    [s0, s1] = checksum(wal, offset, 8, bigEndian, s0, s1);
    [s0, s1] = checksum(wal, offset + 24, pageSize, bigEndian, s0, s1);
    if (s0 !== wal.readUInt32BE(offset + 16) || s1 !== wal.readUInt32BE(offset + 20)) {
      reason = `frame ${frames + 1} fails its checksum`;
      break;
    }
    frames++;
    offset += frameSize;
    if (wal.readUInt32BE(offset - frameSize + 4) !== 0) {
      commits++;
      committedFrames = frames;
      committedEnd = offset;
    }
  }
  if (!reason && offset < wal.length) reason = `the last ${wal.length - offset} bytes are an incomplete frame`;
  if (!reason && committedEnd < wal.length) reason = 'a transaction was still being written';
  return { bytes: wal.length, committedFrames, commits, discardedBytes: wal.length - committedEnd, ...(reason && committedEnd < wal.length ? { reason } : {}) };
}

/** SQLite's WAL checksum over 8-byte chunks, continuing from (s0, s1). */
function checksum(buffer: Buffer, start: number, length: number, bigEndian: boolean, s0: number, s1: number): [number, number] {
  for (let i = start; i < start + length; i += 8) {
    const x0 = bigEndian ? buffer.readUInt32BE(i) : buffer.readUInt32LE(i);
    const x1 = bigEndian ? buffer.readUInt32BE(i + 4) : buffer.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}
