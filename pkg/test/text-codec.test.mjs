// The mini-program UTF-8 codec against Node's own (WHATWG) TextEncoder and TextDecoder:
// Chinese, emoji, lone surrogates, invalid and truncated bytes, partial encodeInto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const shim = createRequire(import.meta.url)('../miniprogram/text-codec.js');

const SAMPLES = [
  '', 'ascii', '七天无理由退货已于 2026-11-08 23:59 截止', '😀👍🏽🇨🇳', 'é\u0301', '\u0000\u007f\u0080\u07ff\u0800\uffff',
  'a\ud800b', '\udc00', 'x\ud83d', '\ud83d\ude00\ud83d', '\uFEFFbom', '退'.repeat(10000),
];

function randomString(seed, length) {
  let s = '';
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const pick = x % 5;
    s += String.fromCharCode(pick === 0 ? x % 0x80 : pick === 1 ? 0x4e00 + (x % 0x5000) : pick === 2 ? 0xd800 + (x % 0x800) : pick === 3 ? x % 0x800 : x % 0x10000);
  }
  return s;
}

test('encode matches the platform encoder, lone surrogates included', () => {
  const node = new TextEncoder();
  const ours = new shim.TextEncoder();
  for (const s of SAMPLES.concat(Array.from({ length: 300 }, (_, i) => randomString(i + 1, 1 + (i % 50))))) {
    assert.deepEqual(ours.encode(s), node.encode(s), JSON.stringify(s));
  }
});

test('encodeInto stops at whole characters, like the platform', () => {
  const node = new TextEncoder();
  const ours = new shim.TextEncoder();
  for (const s of SAMPLES.concat(Array.from({ length: 100 }, (_, i) => randomString(i + 7, 20)))) {
    for (const size of [0, 1, 2, 3, 5, 8, 64]) {
      const a = new Uint8Array(size);
      const b = new Uint8Array(size);
      assert.deepEqual(ours.encodeInto(s, a), node.encodeInto(s, b), `${JSON.stringify(s)} into ${size}`);
      assert.deepEqual(a, b);
    }
  }
});

test('decode matches the platform decoder on valid, invalid and truncated bytes', () => {
  const bytes = [
    [0xe4, 0xb8, 0xad], [0xf0, 0x9f, 0x98, 0x80], [0xff], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80], [0xe4, 0xb8], [0xf0, 0x9f, 0x98], [0x80, 0x80], [0xef, 0xbb, 0xbf, 0x41], [0xc3],
    [0x61, 0xf1, 0x80, 0x80, 0xe1, 0x80, 0xc2, 0x62],
  ];
  for (let i = 0; i < 2000; i++) {
    let x = i * 2654435761 >>> 0;
    bytes.push(Array.from({ length: 1 + (i % 12) }, () => { x = (x * 1664525 + 1013904223) >>> 0; return x >>> 24; }));
  }
  for (const ignoreBOM of [false, true]) {
    const node = new TextDecoder('utf-8', { ignoreBOM });
    const ours = new shim.TextDecoder('utf-8', { ignoreBOM });
    const nodeFatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM });
    const oursFatal = new shim.TextDecoder('utf-8', { fatal: true, ignoreBOM });
    for (const b of bytes) {
      const u8 = Uint8Array.from(b);
      assert.equal(ours.decode(u8), node.decode(u8), `${b} ignoreBOM=${ignoreBOM}`);
      let expected;
      try { expected = nodeFatal.decode(u8); } catch (e) { expected = TypeError; }
      if (expected === TypeError) assert.throws(() => oursFatal.decode(u8), TypeError, String(b));
      else assert.equal(oursFatal.decode(u8), expected);
    }
  }
  const round = SAMPLES.concat(Array.from({ length: 100 }, (_, i) => randomString(i + 3, 40)));
  for (const s of round) assert.equal(new shim.TextDecoder().decode(new shim.TextEncoder().encode(s)), new TextDecoder().decode(new TextEncoder().encode(s)));
});
