/**
 * Resource ids: UUIDv7 (RFC 9562), time-ordered and monotonic within a process, so SCIM lists (ordered
 * by creation time, then id) and pull-API cursors (ordered by id) follow creation order even for
 * resources created in the same millisecond.
 */
import { randomBytesPooled } from '../crypto/secrets.ts';

let lastMs = 0;
let counter = 0;

export function newResourceId(now: number = Date.now()): string {
  if (now <= lastMs) {
    counter++;
    if (counter > 0xfff) {
      lastMs++;
      counter = 0;
    }
  } else {
    lastMs = now;
    counter = randomBytesPooled(2).readUInt16BE(0) & 0x7ff; // room to count up within the millisecond
  }
  const b = randomBytesPooled(16);
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
