import { crc32, deflateSync } from 'node:zlib';

/**
 * A real RGBA PNG of `width` x `height`, white with a dark diagonal stroke (a stand-in signature);
 * `speckle` (0..1) greys that share of the pixels at random, as anti-aliased ink is, so the file does
 * not compress to nothing.
 */
export function strokePng(width = 60, height = 30, speckle = 0): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 4, 255);
    row[0] = 0;
    for (let x = 0; x < width; x++)
      if (Math.random() < speckle) row.fill(Math.floor(Math.random() * 256), 1 + x * 4, 1 + x * 4 + 3);
    const x = Math.round((y * width) / height);
    for (let dx = 0; dx < 3 && x + dx < width; dx++) row.fill(0, 1 + (x + dx) * 4, 1 + (x + dx) * 4 + 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
