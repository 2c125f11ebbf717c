#!/usr/bin/env node
/**
 * Renders Talkie's icons as PNGs with no dependencies (a tiny PNG encoder over node:zlib), so the
 * committed images can be regenerated and checked: `node resources/render-icons.mjs [--out dir]`.
 *   tray/<state>.png (16 px) and tray/<state>@2x.png (32 px) for the six tray states,
 *   icon.png (512 px), the app icon electron-builder turns into .icns / .ico.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
/** RGBA pixels (size*size*4) → PNG bytes. */
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const dist = (x, y, cx, cy) => Math.hypot(x - cx, y - cy);
/** Distance from (x,y) to the segment (ax,ay)-(bx,by). */
function segDist(x, y, ax, ay, bx, by) {
  const t = Math.max(
    0,
    Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
  );
  return dist(x, y, ax + t * (bx - ax), ay + t * (by - ay));
}

/** Shapes in unit coordinates; each returns [r,g,b,a] or null for transparent. */
const WHITE = [255, 255, 255];
const mic = (x, y) => segDist(x, y, 0.5, 0.34, 0.5, 0.56) <= 0.1;
const bang = (x, y) => segDist(x, y, 0.5, 0.27, 0.5, 0.55) <= 0.07 || dist(x, y, 0.5, 0.71) <= 0.075;
const dots = (x, y) => [0.3, 0.5, 0.7].some((cx) => dist(x, y, cx, 0.5) <= 0.075);
const waves = (x, y) => {
  const d = dist(x, y, 0.36, 0.5);
  return (
    x > 0.36 && (Math.abs(d - 0.17) <= 0.045 || Math.abs(d - 0.31) <= 0.045) && Math.abs(y - 0.5) < d * 0.8
  );
};

const STATES = {
  idle: { color: '#6b7280', glyph: mic },
  listening: { color: '#dc2626', glyph: mic },
  waiting: { color: '#d97706', glyph: dots },
  replying: { color: '#2563eb', glyph: waves },
  failed: { color: '#b91c1c', glyph: bang },
  offline: { color: '#9ca3af', glyph: mic, ring: true },
};

function trayShade(state) {
  const { color, glyph, ring } = STATES[state];
  const fill = hex(color);
  return (x, y) => {
    const d = dist(x, y, 0.5, 0.5);
    if (d > 0.47) return null;
    if (ring) {
      // Offline: a hollow ring with a grey glyph, visibly "not connected".
      if (d >= 0.38) return fill;
      return glyph(x, y) ? fill : null;
    }
    return glyph(x, y) ? WHITE : fill;
  };
}

function appShade() {
  const bg = hex('#111827');
  const accent = hex('#2563eb');
  return (x, y) => {
    // Rounded square background.
    const qx = Math.max(Math.abs(x - 0.5) - 0.3, 0);
    const qy = Math.max(Math.abs(y - 0.5) - 0.3, 0);
    if (Math.hypot(qx, qy) > 0.16) return null;
    if (dist(x, y, 0.5, 0.5) <= 0.3) return mic(x, y) ? WHITE : accent;
    return bg;
  };
}

/** Renders with 4×4 supersampling for smooth edges. */
function render(size, shade) {
  const out = Buffer.alloc(size * size * 4);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const c = shade((px + (sx + 0.5) / S) / size, (py + (sy + 0.5) / S) / size);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((a / (S * S)) * 255);
      }
    }
  }
  return out;
}

const here = dirname(fileURLToPath(import.meta.url));
const outFlag = process.argv.indexOf('--out');
const outDir = outFlag >= 0 ? process.argv[outFlag + 1] : here;
mkdirSync(join(outDir, 'tray'), { recursive: true });
for (const state of Object.keys(STATES)) {
  writeFileSync(join(outDir, 'tray', `${state}.png`), encodePng(16, render(16, trayShade(state))));
  writeFileSync(join(outDir, 'tray', `${state}@2x.png`), encodePng(32, render(32, trayShade(state))));
}
writeFileSync(join(outDir, 'icon.png'), encodePng(512, render(512, appShade())));
console.log(`icons written to ${outDir}`);
