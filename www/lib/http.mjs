// The HTTP plumbing of the reference server: structured error answers, bodies bounded before
// they are buffered, and static files served only from inside their root.
import { createReadStream, statSync } from 'node:fs';
import { extname, relative, resolve, isAbsolute, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** An answer that ends a request: its status, body and extra headers. */
export class HttpError extends Error {
  constructor(status, code, message, headers = {}) {
    super(message);
    this.status = status;
    this.body = errors(code, '', message);
    this.headers = headers;
  }
}

export function errors(code, path, message, help) {
  const error = { code, path, message };
  if (help) error.help = help;
  return { type: 'errors', errors: [error] };
}

export function send(res, status, body, headers = {}) {
  if (res.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers }).end(text);
}

/**
 * The request body as text, at most `max` bytes: a declared length over it is refused before
 * anything is read, and a stream that grows past it is cut off.
 */
export function readBody(req, max) {
  return new Promise((resolveBody, reject) => {
    const tooLarge = () => new HttpError(413, 'LIMIT_EXCEEDED', `bodies are at most ${max} bytes`, { Connection: 'close' });
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      req.resume();
      reject(tooLarge());
      return;
    }
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > max) {
        chunks.length = 0;
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** How deep JSON bodies may nest: deeper than any input the engine accepts (32), shallow enough to write back. */
const MAX_DEPTH = 64;

/** Whether `value` nests deeper than `max`, found without recursion (a body may be 100,000 deep). */
function tooDeep(value, max) {
  const stack = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Whether every number in the JSON text is written as an integer: amounts and counts are
 * integers, and parsing into JavaScript would turn `1.0` into `1` and `1e400` into Infinity.
 */
function integersOnly(text) {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++; // an escape: skip the escaped character
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i;
      while (j < text.length && '0123456789+-.eE'.includes(text[j])) j++;
      if (/[.eE]/.test(text.slice(i, j))) return false;
      i = j - 1;
    }
  }
  return true;
}

/** Parses a JSON body that must be an object, nested at most 64 deep, with integer numbers only. */
export function jsonObject(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'the body is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'INVALID_TYPE', 'the body must be a JSON object');
  }
  if (tooDeep(value, MAX_DEPTH)) throw new HttpError(400, 'LIMIT_EXCEEDED', `the body nests deeper than ${MAX_DEPTH} levels`);
  if (!integersOnly(text)) {
    throw new HttpError(400, 'INVALID_INTEGER', 'every number in a submission is an integer (amounts in minor units, counts)');
  }
  return value;
}

/** Serves `urlPath` from inside `root` (`/` is `index.html`); anything outside it is 404. */
export function staticFile(res, root, urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return send(res, 400, errors('INVALID_VALUE', '', 'the path is not valid percent-encoding'));
  }
  if (rel.includes('\0')) return send(res, 404, errors('NOT_FOUND', '', 'not found'));
  const base = resolve(root);
  const file = resolve(base, '.' + sep + (rel === '/' || rel === '' ? 'index.html' : rel));
  const inside = relative(base, file);
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) return send(res, 404, errors('NOT_FOUND', '', 'not found'));
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return send(res, 404, errors('NOT_FOUND', '', 'not found'));
  }
  if (!stat.isFile()) return send(res, 404, errors('NOT_FOUND', '', 'not found'));
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Content-Length': stat.size });
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}
