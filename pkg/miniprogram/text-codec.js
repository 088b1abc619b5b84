// UTF-8 TextEncoder/TextDecoder for mini-program clients that have none. Written to the
// WHATWG Encoding standard, because naive shims (escape/unescape, charCodeAt loops without
// surrogate pairs) corrupt Chinese text and emoji:
// - encode: UTF-16 → UTF-8, surrogate pairs joined, lone surrogates → U+FFFD;
// - decode: UTF-8 → UTF-16, invalid or truncated sequences → U+FFFD per maximal subpart
//   (or a TypeError with `fatal: true`), overlongs and surrogate code points refused, BOM
//   skipped unless `ignoreBOM`. ES2017.
'use strict';

function TextEncoder() {}
TextEncoder.prototype.encoding = 'utf-8';

/** Code points of a JS string, lone surrogates replaced. */
function codePoints(str, visit) {
  for (let i = 0; i < str.length; i++) {
    let c = str.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < str.length ? str.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        visit(c, 2);
        i++;
        continue;
      }
      c = 0xfffd;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      c = 0xfffd;
    }
    visit(c, 1);
  }
}

function utf8Length(c) {
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

function put(bytes, at, c) {
  if (c < 0x80) {
    bytes[at] = c;
  } else if (c < 0x800) {
    bytes[at] = 0xc0 | (c >> 6);
    bytes[at + 1] = 0x80 | (c & 0x3f);
  } else if (c < 0x10000) {
    bytes[at] = 0xe0 | (c >> 12);
    bytes[at + 1] = 0x80 | ((c >> 6) & 0x3f);
    bytes[at + 2] = 0x80 | (c & 0x3f);
  } else {
    bytes[at] = 0xf0 | (c >> 18);
    bytes[at + 1] = 0x80 | ((c >> 12) & 0x3f);
    bytes[at + 2] = 0x80 | ((c >> 6) & 0x3f);
    bytes[at + 3] = 0x80 | (c & 0x3f);
  }
}

TextEncoder.prototype.encode = function (input) {
  const str = input === undefined ? '' : String(input);
  let length = 0;
  codePoints(str, function (c) { length += utf8Length(c); });
  const bytes = new Uint8Array(length);
  let at = 0;
  codePoints(str, function (c) { put(bytes, at, c); at += utf8Length(c); });
  return bytes;
};

/** Encodes as much of `input` as fits into `dest`; `read` counts UTF-16 units. */
TextEncoder.prototype.encodeInto = function (input, dest) {
  const str = String(input);
  let read = 0;
  let written = 0;
  let full = false;
  codePoints(str, function (c, units) {
    if (full) return;
    const n = utf8Length(c);
    if (written + n > dest.length) {
      full = true;
      return;
    }
    put(dest, written, c);
    written += n;
    read += units;
  });
  return { read: read, written: written };
};

function TextDecoder(label, options) {
  const name = label === undefined ? 'utf-8' : String(label).trim().toLowerCase();
  if (name !== 'utf-8' && name !== 'utf8' && name !== 'unicode-1-1-utf-8') {
    throw new RangeError('this TextDecoder decodes UTF-8 only, not ' + label);
  }
  this.encoding = 'utf-8';
  this.fatal = !!(options && options.fatal);
  this.ignoreBOM = !!(options && options.ignoreBOM);
}

function bytesOf(input) {
  if (input === undefined || input === null) return new Uint8Array(0);
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return new Uint8Array(input);
}

TextDecoder.prototype.decode = function (input) {
  const bytes = bytesOf(input);
  const fatal = this.fatal;
  let out = '';
  let chunk = [];
  function emit(c) {
    if (c > 0xffff) {
      c -= 0x10000;
      chunk.push(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
    } else {
      chunk.push(c);
    }
    if (chunk.length > 8192) {
      out += String.fromCharCode.apply(null, chunk);
      chunk = [];
    }
  }
  function bad() {
    if (fatal) throw new TypeError('the encoded data was not valid UTF-8');
    emit(0xfffd);
  }
  let i = 0;
  if (!this.ignoreBOM && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      emit(b);
      i++;
      continue;
    }
    let need = 0;
    let c = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      c = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      c = b & 0x0f;
      if (b === 0xe0) lower = 0xa0; // no overlongs
      if (b === 0xed) upper = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      c = b & 0x07;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f; // at most U+10FFFF
    } else {
      bad();
      i++;
      continue;
    }
    let j = 1;
    for (; j <= need; j++) {
      const next = bytes[i + j];
      if (next === undefined || next < lower || next > upper) break;
      c = (c << 6) | (next & 0x3f);
      lower = 0x80;
      upper = 0xbf;
    }
    if (j <= need) {
      bad(); // a maximal subpart of an ill-formed sequence becomes one U+FFFD
      i += j;
      continue;
    }
    emit(c);
    i += need + 1;
  }
  if (chunk.length) out += String.fromCharCode.apply(null, chunk);
  return out;
};

module.exports = { TextEncoder: TextEncoder, TextDecoder: TextDecoder };
