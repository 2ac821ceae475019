// Draws media/icon.png (128x128): a user silhouette with an upload arrow on a rounded violet
// square. Plain Node: pixels computed with 4x4 supersampling, PNG written with zlib.
// Usage: node scripts/lib/make-icon.mjs [out.png]
import { writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;
const BACKGROUND = [108, 71, 255];
const FOREGROUND = [255, 255, 255];

function roundedSquare(x, y, inset, radius) {
  const min = inset;
  const max = SIZE - inset;
  const cx = Math.min(Math.max(x, min + radius), max - radius);
  const cy = Math.min(Math.max(y, min + radius), max - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2 && x >= min && x <= max && y >= min && y <= max;
}

function user(x, y) {
  const head = (x - 54) ** 2 + (y - 46) ** 2 <= 17 ** 2;
  // Shoulders: the top half of an ellipse, cut flat at the bottom.
  const shoulders = ((x - 54) / 32) ** 2 + ((y - 100) / 30) ** 2 <= 1 && y <= 98;
  return head || shoulders;
}

function arrow(x, y) {
  // An upward arrow in a circle at the bottom right, with a background-coloured ring.
  const d = Math.hypot(x - 94, y - 88);
  if (d > 24) return undefined;
  if (d > 20) return 'ring';
  const shaft = Math.abs(x - 94) <= 3.5 && y >= 82 && y <= 100;
  const head = y >= 72 && y <= 86 && Math.abs(x - 94) <= (y - 72) * 0.9;
  return shaft || head ? 'arrow' : 'disc';
}

function colourAt(x, y) {
  if (!roundedSquare(x, y, 4, 26)) return null;
  const a = arrow(x, y);
  if (a === 'ring') return BACKGROUND;
  if (a === 'disc') return FOREGROUND;
  if (a === 'arrow') return BACKGROUND;
  return user(x, y) ? FOREGROUND : BACKGROUND;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0;
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, alpha = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = colourAt(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        if (!c) continue;
        r += c[0];
        g += c[1];
        b += c[2];
        alpha += 1;
      }
    }
    const o = py * (SIZE * 4 + 1) + 1 + px * 4;
    if (alpha) {
      raw[o] = Math.round(r / alpha);
      raw[o + 1] = Math.round(g / alpha);
      raw[o + 2] = Math.round(b / alpha);
    }
    raw[o + 3] = Math.round((alpha / SAMPLES ** 2) * 255);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = process.argv[2] ?? new URL('../../media/icon.png', import.meta.url).pathname;
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
