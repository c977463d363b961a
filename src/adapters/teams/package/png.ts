import { deflateSync } from 'node:zlib';
import { crc32 } from './crc32.ts';

type Rgba = [number, number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes an RGBA image (8 bits a channel, no interlace) as PNG. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const rows = Buffer.alloc((width * 4 + 1) * height);
  let i = 0;
  for (let y = 0; y < height; y++) {
    rows[i++] = 0; // filter: none
    for (let x = 0; x < width; x++) for (const v of pixel(x, y)) rows[i++] = v;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A tick in a ring: is (x, y) on it, for an icon of `size` pixels. */
function onMark(x: number, y: number, size: number): boolean {
  const c = (size - 1) / 2;
  const r = Math.hypot(x - c, y - c) / size;
  const ring = r > 0.36 && r < 0.44;
  // The tick: two strokes, from (0.3, 0.52) to (0.45, 0.66) and on to (0.7, 0.36), in unit coordinates.
  const u = x / size;
  const v = y / size;
  const near = (ax: number, ay: number, bx: number, by: number) => {
    const t = Math.max(
      0,
      Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
    );
    return Math.hypot(u - (ax + t * (bx - ax)), v - (ay + t * (by - ay))) < 0.045;
  };
  return ring || near(0.3, 0.52, 0.45, 0.66) || near(0.45, 0.66, 0.7, 0.36);
}

/** Teams' colour icon: 192×192, a white tick in a ring on the app's accent colour. */
export function colorIcon(): Buffer {
  const accent: Rgba = [0x1d, 0x4f, 0x91, 255];
  return encodePng(192, 192, (x, y) => (onMark(x, y, 192) ? [255, 255, 255, 255] : accent));
}

/** Teams' outline icon: 32×32, white on transparent. */
export function outlineIcon(): Buffer {
  return encodePng(32, 32, (x, y) => (onMark(x, y, 32) ? [255, 255, 255, 255] : [0, 0, 0, 0]));
}
