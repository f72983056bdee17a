/**
 * Incremental streaming JSON reader for scanner reports that can be hundreds of MB.
 *
 * It emits exactly the events of `eventsFromValue` (json-events.ts) for the same document, without ever
 * building the document's tree:
 *
 * - The bytes are scanned in a tight loop that tracks nesting, string/escape state and the current path.
 * - A value at a capture path (`Results.*.Vulnerabilities.*`) is remembered from its first byte; when it ends,
 *   just that slice is decoded (UTF-8) and handed to `JSON.parse`, which also fully validates it. A slice may span
 *   chunks: only the bytes of the element being captured are kept, never the whole input.
 * - Scalars at depth <= `scalarDepth` outside captures are decoded one by one (`scalar` events).
 * - Everything else is skipped without being materialised, but its structure is still checked (matching
 *   brackets, terminated strings, colons and commas, no missing values, number and literal syntax), so a
 *   truncated or garbled report fails instead of reading as a shorter one. Every string, skipped or not, is
 *   validated as JSON.parse would (no raw control characters, only JSON escapes, `\u` with four hex digits) and
 *   must be well-formed UTF-8 (RFC 8259 §8.1): a byte sequence that is not UTF-8 fails instead of decoding to
 *   U+FFFD.
 * - With `containers`, an object/array opening at one of those paths is an `open` event (its type).
 *
 * Every failure is a `JsonStreamError` carrying the absolute byte offset. Pure: no I/O (the caller feeds chunks).
 *
 * Known, intended differences from `eventsFromValue(JSON.parse(text))`, both only outside captured elements:
 * events come in document order, so an object whose keys are array indices ("0", "7") out of ascending order,
 * or that repeats a key, yields its events in document order and for every occurrence (JSON.parse would move
 * the index keys first and keep only the last duplicate). For any document that `JSON.stringify` produced the
 * events are identical.
 */
import { Buffer } from 'node:buffer';
import { compileCaptures, type EventOptions, type JsonEvent, type PathSegment } from './json-events.js';

export interface JsonStreamOptions extends EventOptions {
  /** Deepest nesting of objects/arrays accepted (default 512). Deeper input fails cleanly, without recursion. */
  maxDepth?: number;
  /** Largest captured element, key or decoded scalar in bytes (default 64 MiB); a bigger one fails. */
  maxElementBytes?: number;
}

export class JsonStreamError extends Error {
  constructor(
    message: string,
    /** Absolute byte offset in the input (BOM included) where the problem was detected. */
    readonly offset: number
  ) {
    super(message);
    this.name = 'JsonStreamError';
  }
}

// Parser states.
const S_BOM = 0; // nothing read yet: an optional UTF-8 BOM, then a value
const S_VALUE = 1; // a value must follow (after ':' or an array ',')
const S_VALUE_OR_END = 2; // after '['
const S_KEY_OR_END = 3; // after '{'
const S_KEY = 4; // after an object ','
const S_COLON = 5; // after a key
const S_NEXT = 6; // after a value inside a container: ',' or the closing bracket
const S_DONE = 7; // after the top-level value: only whitespace may follow
const S_STRING = 8; // inside a string token
const S_NUMBER = 9; // inside a number token
const S_LITERAL = 10; // inside true/false/null
const S_CAPTURE = 11; // inside a captured object/array: only nesting and strings are tracked

// What a token is for.
const T_SKIP_VALUE = 0; // a value nobody asked for: validated, not decoded
const T_SKIP_KEY = 1; // a key inside a skipped container
const T_KEY = 2; // a key whose text is part of the path
const T_SCALAR = 3; // a scalar event
const T_ELEMENT = 4; // a captured scalar: an element event

const OBJ = 1;
const ARR = 2;

// Number syntax (RFC 8259): states after the bytes read so far.
const N_MINUS = 1;
const N_ZERO = 2;
const N_INT = 3;
const N_DOT = 4;
const N_FRAC = 5;
const N_E = 6;
const N_ESIGN = 7;
const N_EXP = 8;

const LIT_TRUE = [0x74, 0x72, 0x75, 0x65];
const LIT_FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const LIT_NULL = [0x6e, 0x75, 0x6c, 0x6c];

const BOM = [0xef, 0xbb, 0xbf];

// The bytes that matter inside a captured container.
const B_QUOTE = 1;
const B_OPEN = 2;
const B_CLOSE = 3;
const CAPTURE_BYTE = new Uint8Array(256);
CAPTURE_BYTE[0x22] = B_QUOTE;
CAPTURE_BYTE[0x7b] = B_OPEN;
CAPTURE_BYTE[0x5b] = B_OPEN;
CAPTURE_BYTE[0x7d] = B_CLOSE;
CAPTURE_BYTE[0x5d] = B_CLOSE;
// String bytes: 0 plain, else quote / backslash / control / non-ASCII.
const K_QUOTE = 1;
const K_BACKSLASH = 2;
const K_CONTROL = 3;
const K_HIGH = 4;
const STR_CLASS = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STR_CLASS[c] = K_CONTROL;
for (let c = 0x80; c < 0x100; c++) STR_CLASS[c] = K_HIGH;
STR_CLASS[0x22] = K_QUOTE;
STR_CLASS[0x5c] = K_BACKSLASH;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;
const ESCAPABLE = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPABLE[c.charCodeAt(0)] = 1;
// String scanner states (kept across chunks).
const ST_PLAIN = 0;
const ST_ESC = 1; // after a backslash
const ST_UTF8 = 2; // inside a multi-byte UTF-8 sequence
const ST_HEX1 = 3; // \u: one hex digit left … ST_HEX4: four left
const ST_HEX4 = 6;
const DEFAULT_MAX_DEPTH = 512;
const DEFAULT_MAX_ELEMENT_BYTES = 64 * 1024 * 1024;

function describeByte(c: number): string {
  if (c >= 0x21 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** Decodes the bytes of one JSON string token, quotes included. */
function decodeStringToken(b: Buffer): string {
  const n = b.length - 1;
  for (let i = 1; i < n; i++) {
    const c = b[i];
    // Escapes, control characters (an error) and non-ASCII: JSON.parse decides.
    if (c < 0x20 || c >= 0x80 || c === 0x5c) return JSON.parse(b.toString('utf8')) as string;
  }
  return b.toString('latin1', 1, n);
}

/** A JSON.parse failure on `text` (which starts at byte `start`) as a JsonStreamError at the failing byte. */
function parseError(e: unknown, text: string, start: number, where: string): JsonStreamError {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /position (\d+)/.exec(msg);
  const at = start + (m ? Buffer.byteLength(text.slice(0, Number(m[1]))) : 0);
  // V8 words it "… in JSON at position N (line L column C)" or "…, "<the text>" is not valid JSON".
  const detail = msg.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
  return new JsonStreamError(`invalid JSON at byte ${at}: ${detail} (in ${where})`, at);
}

function pathText(path: readonly PathSegment[]): string {
  return path.length === 0 ? '(top level)' : path.join('.');
}

export class JsonStreamReader {
  private readonly captures: string[][];
  private readonly containers: string[][];
  private readonly scalarDepth: number;
  private readonly maxDepth: number;
  private readonly maxElementBytes: number;
  /** Longest capture: containers deeper than this (and than scalarDepth) can hold no event. */
  private readonly maxCaptureLength: number;

  private state = S_BOM;
  /** Absolute offset of the current chunk's first byte. */
  private base = 0;
  private bomAt = 0;
  private failed: JsonStreamError | undefined;
  private ended = false;
  private out: JsonEvent[] = [];

  // Open containers: types in `stack[0..sp)`. The path has one segment per open container while not skipping.
  private readonly stack: Uint8Array;
  private sp = 0;
  private readonly path: PathSegment[] = [];
  /** 0, or the stack depth of the outermost skipped container (its children hold no events). */
  private skipSp = 0;

  // The token being read (string, number or literal), possibly across chunks.
  private tokRole = T_SKIP_VALUE;
  private tokStart = 0; // index in the current chunk
  private tokAbs = 0; // absolute offset of its first byte
  private strSt = ST_PLAIN; // string scanner state when a string crosses a chunk end
  private utfNeed = 0; // continuation bytes still due in ST_UTF8
  private utfLo = 0x80; // allowed range of the next continuation byte
  private utfHi = 0xbf;
  private num = 0;
  private lit: number[] = LIT_NULL;
  private litAt = 0;

  // The captured container being read.
  private capDepth = 0;
  private capInString = false;
  private capStart = 0;
  private capAbs = 0;

  /** The bytes of the unfinished capture or decoded token from earlier chunks (never both: one is in flight). */
  private carry = Buffer.alloc(0);
  private carryLen = 0;

  constructor(options: JsonStreamOptions) {
    this.captures = compileCaptures(options.captures).filter((c) => c.length > 0);
    this.containers = compileCaptures(options.containers ?? []);
    this.scalarDepth = options.scalarDepth ?? 3;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxElementBytes = options.maxElementBytes ?? DEFAULT_MAX_ELEMENT_BYTES;
    if (!Number.isInteger(this.maxDepth) || this.maxDepth < 1 || this.maxDepth > 1 << 24)
      throw new RangeError(`maxDepth must be an integer from 1 to ${1 << 24}`);
    if (!(this.maxElementBytes > 0)) throw new RangeError('maxElementBytes must be positive');
    this.maxCaptureLength = Math.max(0, ...this.captures.map((c) => c.length));
    this.stack = new Uint8Array(this.maxDepth + 1);
  }

  /** Feeds the next chunk; returns the events it completed. The chunk is not retained (bytes are copied). */
  push(chunk: Uint8Array): JsonEvent[] {
    if (this.failed) throw this.failed;
    if (this.ended) throw new Error('JsonStreamReader.push() after end()');
    const out: JsonEvent[] = [];
    this.out = out;
    try {
      this.scan(chunk);
    } catch (e) {
      throw this.fail(e);
    }
    this.base += chunk.length;
    return out;
  }

  /** Bytes held between chunks: the unfinished captured element or decoded token (never more than that). */
  get bufferedBytes(): number {
    return this.carryLen;
  }

  /** Signals the end of input; returns the last events or throws when the document is incomplete. */
  end(): JsonEvent[] {
    if (this.failed) throw this.failed;
    if (this.ended) return [];
    this.ended = true;
    const out: JsonEvent[] = [];
    this.out = out;
    try {
      // A top-level number is only terminated by the end of input.
      if (this.state === S_NUMBER && this.sp === 0) this.finishNumber(Buffer.alloc(0), 0);
      if (this.state === S_DONE) return out;
      if ((this.state === S_BOM && this.bomAt === 0) || (this.state === S_VALUE && this.sp === 0)) throw new JsonStreamError('empty input', this.base);
      throw new JsonStreamError(`unexpected end of input at byte ${this.base} (truncated?)`, this.base);
    } catch (e) {
      throw this.fail(e);
    }
  }

  /** Every later call throws the same error. Anything but a JsonStreamError is a bug and stays as it is. */
  private fail(e: unknown): unknown {
    this.failed = e instanceof JsonStreamError ? e : new JsonStreamError(`internal error: ${e instanceof Error ? e.message : String(e)}`, this.base);
    return e;
  }

  private scan(chunk: Uint8Array): void {
    // A Buffer view (no copy): its indexOf() is a memchr, much faster than a byte loop over long strings.
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const n = buf.length;
    // A token or capture continued from the previous chunk starts at index 0 of this one.
    this.tokStart = 0;
    this.capStart = 0;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case S_CAPTURE:
          i = this.scanCapture(buf, i, n);
          break;
        case S_STRING:
          i = this.scanString(buf, i, n);
          break;
        case S_NUMBER:
          i = this.scanNumber(buf, i, n);
          break;
        case S_LITERAL:
          i = this.scanLiteral(buf, i, n);
          break;
        case S_BOM:
          if (buf[i] === BOM[this.bomAt]) {
            i++;
            if (++this.bomAt === 3) this.state = S_VALUE;
          } else if (this.bomAt > 0) throw this.unexpected(buf[i], i, 'a value after the byte order mark');
          else this.state = S_VALUE;
          break;
        default:
          i = this.skipSp === 0 ? this.scanStructure(buf, i, n) : this.scanSkip(buf, i, n);
      }
    }
    // Keep the bytes of an unfinished capture or decoded token (copied: the caller may reuse its buffer).
    if (this.state === S_CAPTURE) this.keep(buf, this.capStart, n);
    else if ((this.state === S_STRING || this.state === S_NUMBER) && this.tokRole >= T_KEY) this.keep(buf, this.tokStart, n);
  }

  /** Appends buf[start, end) to the carried bytes. */
  private keep(buf: Buffer, start: number, end: number): void {
    const len = end - start;
    const need = this.carryLen + len;
    if (need > this.maxElementBytes) throw this.state === S_CAPTURE ? this.tooBig(this.capAbs, 'element') : this.tooBig(this.tokAbs, 'value');
    if (need > this.carry.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(need, 2 * this.carry.length, 4096));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    const carry = this.carry;
    if (len < 32) for (let k = 0; k < len; k++) carry[this.carryLen + k] = buf[start + k];
    else carry.set(buf.subarray(start, end), this.carryLen);
    this.carryLen = need;
  }

  /** The whole capture/token ending at `end` in this chunk; valid until the next keep(). */
  private taken(buf: Buffer, start: number, end: number): Buffer {
    if (this.carryLen === 0) return buf.subarray(start, end);
    this.keep(buf, start, end);
    const bytes = this.carry.subarray(0, this.carryLen);
    this.carryLen = 0;
    // Do not hold on to the buffer of an unusually big element.
    if (this.carry.length > 1 << 20) this.carry = Buffer.alloc(0);
    return bytes;
  }

  private tooBig(at: number, what: string): JsonStreamError {
    return new JsonStreamError(`${what} at ${pathText(this.path)} (byte ${at}) is larger than maxElementBytes (${this.maxElementBytes} bytes)`, at);
  }

  private unexpected(c: number, i: number, expected: string): JsonStreamError {
    const at = this.base + i;
    return new JsonStreamError(`invalid JSON at byte ${at}: unexpected ${describeByte(c)}, expected ${expected}`, at);
  }

  /** Whitespace, punctuation and the first byte of each value. Returns at a token/capture start or the chunk end. */
  private scanStructure(buf: Buffer, i: number, n: number): number {
    for (; i < n; i++) {
      const c = buf[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      const state = this.state;
      if (state === S_NEXT) {
        if (c === 0x2c) {
          if (this.stack[this.sp - 1] === OBJ) this.state = S_KEY;
          else {
            this.state = S_VALUE;
            if (this.skipSp === 0) this.path[this.sp - 1] = (this.path[this.sp - 1] as number) + 1;
          }
        } else if (c === 0x7d || c === 0x5d) this.close(c, i);
        else throw this.unexpected(c, i, this.stack[this.sp - 1] === OBJ ? "',' or '}'" : "',' or ']'");
      } else if (state === S_COLON) {
        if (c !== 0x3a) throw this.unexpected(c, i, "':'");
        this.state = S_VALUE;
      } else if (state === S_KEY_OR_END || state === S_KEY) {
        if (c === 0x22) {
          this.beginToken(S_STRING, this.skipSp === 0 ? T_KEY : T_SKIP_KEY, i);
          return i + 1;
        }
        if (c === 0x7d && state === S_KEY_OR_END) this.close(c, i);
        else throw this.unexpected(c, i, state === S_KEY ? 'a key string' : "a key string or '}'");
      } else if (state === S_VALUE || state === S_VALUE_OR_END) {
        if (c === 0x5d && state === S_VALUE_OR_END) this.close(c, i);
        else return this.beginValue(c, i);
      } else if (state === S_DONE) {
        const at = this.base + i;
        throw new JsonStreamError(`trailing data after the JSON value at byte ${at}`, at);
      } else return i; // a token state: let scan() dispatch
    }
    return n;
  }

  /**
   * Inside a skipped container (no event can come from it): the same grammar as scanStructure with strings
   * inlined and no path, in locals. Returns when the skipped container closes, at a token that crosses the end of
   * the chunk, or at a number/literal (handled by the token scanners).
   */
  private scanSkip(buf: Buffer, i: number, n: number): number {
    const stack = this.stack;
    const skipSp = this.skipSp;
    let sp = this.sp;
    let state = this.state;
    for (; i < n; i++) {
      const c = buf[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      let closing = false;
      if (state === S_NEXT) {
        if (c === 0x2c) state = stack[sp - 1] === OBJ ? S_KEY : S_VALUE;
        else if (c === 0x7d || c === 0x5d) {
          if ((c === 0x7d) !== (stack[sp - 1] === OBJ)) throw this.unexpected(c, i, stack[sp - 1] === OBJ ? "',' or '}'" : "',' or ']'");
          closing = true;
        } else throw this.unexpected(c, i, stack[sp - 1] === OBJ ? "',' or '}'" : "',' or ']'");
      } else if (c === 0x22) {
        if (state === S_COLON) throw this.unexpected(c, i, "':'");
        const role = state === S_VALUE || state === S_VALUE_OR_END ? T_SKIP_VALUE : T_SKIP_KEY;
        const q = this.stringEnd(buf, i + 1, n);
        if (q < 0) {
          this.sp = sp;
          this.state = S_STRING;
          this.tokRole = role;
          return n;
        }
        i = q;
        state = role === T_SKIP_KEY ? S_COLON : S_NEXT;
      } else if (state === S_VALUE || state === S_VALUE_OR_END) {
        if (c === 0x7b || c === 0x5b) {
          if (sp + 1 > this.maxDepth) throw this.tooDeep(i);
          stack[sp++] = c === 0x7b ? OBJ : ARR;
          state = c === 0x7b ? S_KEY_OR_END : S_VALUE_OR_END;
        } else if (c === 0x5d && state === S_VALUE_OR_END) closing = true;
        else {
          // A number or literal: the token scanners take over.
          this.sp = sp;
          return this.beginValue(c, i);
        }
      } else if (state === S_COLON) {
        if (c !== 0x3a) throw this.unexpected(c, i, "':'");
        state = S_VALUE;
      } else if (c === 0x7d && state === S_KEY_OR_END) closing = true;
      else throw this.unexpected(c, i, state === S_KEY ? 'a key string' : "a key string or '}'");
      if (closing) {
        if (sp-- === skipSp) {
          // The skipped container ends: back to tracking the path (it never had a path segment).
          this.skipSp = 0;
          this.sp = sp;
          this.state = sp === 0 ? S_DONE : S_NEXT;
          return i + 1;
        }
        state = S_NEXT;
      }
    }
    this.sp = sp;
    this.state = state;
    return n;
  }

  /** Decides what the value starting with byte `c` at `i` is for. Returns the index to continue from. */
  private beginValue(c: number, i: number): number {
    const sp = this.sp;
    const skipping = this.skipSp !== 0;
    const isContainer = c === 0x7b || c === 0x5b;
    let role = T_SKIP_VALUE;
    if (!skipping && sp > 0) {
      if (this.isCaptured()) {
        if (isContainer) {
          if (sp + 1 > this.maxDepth) throw this.tooDeep(i);
          this.state = S_CAPTURE;
          this.capDepth = 0;
          this.capInString = false;
          this.capStart = i;
          this.capAbs = this.base + i;
          return i; // scanCapture() counts the opening bracket
        }
        role = T_ELEMENT;
      } else if (sp <= this.scalarDepth) role = T_SCALAR;
    }
    if (isContainer) {
      if (sp + 1 > this.maxDepth) throw this.tooDeep(i);
      const type = c === 0x7b ? OBJ : ARR;
      if (!skipping && this.containers.length > 0 && this.isContainerPath())
        this.out.push({ type: 'open', path: this.path.slice(), value: type === OBJ ? '{' : '[' });
      this.stack[sp] = type;
      this.sp = sp + 1;
      if (!skipping) {
        if (sp === 0 || sp < this.scalarDepth || this.mayCaptureBelow()) this.path.push(type === OBJ ? '' : 0);
        else this.skipSp = sp + 1;
      }
      this.state = type === OBJ ? S_KEY_OR_END : S_VALUE_OR_END;
      return i + 1;
    }
    if (c === 0x22) {
      this.beginToken(S_STRING, role, i);
      return i + 1;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.beginToken(S_NUMBER, role, i);
      this.num = c === 0x2d ? N_MINUS : c === 0x30 ? N_ZERO : N_INT;
      return i + 1;
    }
    const lit = c === 0x74 ? LIT_TRUE : c === 0x66 ? LIT_FALSE : c === 0x6e ? LIT_NULL : undefined;
    if (lit) {
      this.beginToken(S_LITERAL, role, i);
      this.lit = lit;
      this.litAt = 1;
      return i + 1;
    }
    throw this.unexpected(c, i, 'a value');
  }

  private tooDeep(i: number): JsonStreamError {
    return new JsonStreamError(`nesting deeper than ${this.maxDepth} at byte ${this.base + i}`, this.base + i);
  }

  private beginToken(state: number, role: number, i: number): void {
    this.state = state;
    this.tokRole = role;
    this.tokStart = i;
    this.tokAbs = this.base + i;
    this.strSt = ST_PLAIN;
  }

  /** True when the current path (a value about to start) is a capture path. */
  private isCaptured(): boolean {
    const path = this.path;
    const len = path.length;
    for (const cap of this.captures) {
      if (cap.length !== len) continue;
      let j = 0;
      while (j < len && (cap[j] === '*' || cap[j] === String(path[j]))) j++;
      if (j === len) return true;
    }
    return false;
  }

  /** True when the current path (a container about to open) is one of `containers`. */
  private isContainerPath(): boolean {
    const path = this.path;
    const len = path.length;
    for (const cap of this.containers) {
      if (cap.length !== len) continue;
      let j = 0;
      while (j < len && (cap[j] === '*' || cap[j] === String(path[j]))) j++;
      if (j === len) return true;
    }
    return false;
  }

  /** True when some capture is longer than the current path and starts with it. */
  private mayCaptureBelow(): boolean {
    const path = this.path;
    const len = path.length;
    if (len >= this.maxCaptureLength) return false;
    for (const cap of this.captures) {
      if (cap.length <= len) continue;
      let j = 0;
      while (j < len && (cap[j] === '*' || cap[j] === String(path[j]))) j++;
      if (j === len) return true;
    }
    return false;
  }

  private close(c: number, i: number): void {
    const sp = this.sp;
    const type = this.stack[sp - 1];
    if ((c === 0x7d) !== (type === OBJ)) throw this.unexpected(c, i, type === OBJ ? "',' or '}'" : "',' or ']'");
    if (this.skipSp === 0) this.path.pop();
    else if (sp === this.skipSp) this.skipSp = 0;
    this.sp = sp - 1;
    this.state = sp === 1 ? S_DONE : S_NEXT;
  }

  /** After a value token: a key goes into the path, a scalar becomes an event. */
  private valueDone(): void {
    this.state = this.sp === 0 ? S_DONE : S_NEXT;
  }

  private emit(role: number, value: string | number | boolean | null): void {
    if (role === T_SCALAR) this.out.push({ type: 'scalar', path: this.path.slice(), value });
    else this.out.push({ type: 'element', path: this.path.slice(), value });
  }

  private tokenBytes(buf: Buffer, end: number): Buffer {
    const bytes = this.taken(buf, this.tokStart, end);
    if (bytes.length > this.maxElementBytes) throw this.tooBig(this.tokAbs, 'value');
    return bytes;
  }

  /**
   * Scans for the closing quote from `i`, validating every byte on the way as JSON.parse would (and UTF-8);
   * returns the quote's index or -1 (the scanner state is kept for the next chunk).
   */
  private stringEnd(buf: Buffer, i: number, n: number): number {
    let st = this.strSt;
    let need = this.utfNeed;
    let lo = this.utfLo;
    let hi = this.utfHi;
    for (; i < n; i++) {
      const c = buf[i];
      if (st === ST_PLAIN) {
        const k = STR_CLASS[c];
        if (k === 0) continue;
        if (k === K_QUOTE) {
          this.strSt = ST_PLAIN;
          return i;
        }
        if (k === K_BACKSLASH) st = ST_ESC;
        else if (k === K_CONTROL) throw this.badString(i, `unescaped control character ${describeByte(c)} in a string`);
        else {
          // A UTF-8 lead byte (RFC 3629 table: no overlongs, no surrogates, nothing above U+10FFFF).
          lo = 0x80;
          hi = 0xbf;
          if (c >= 0xc2 && c <= 0xdf) need = 1;
          else if (c >= 0xe0 && c <= 0xef) {
            need = 2;
            if (c === 0xe0) lo = 0xa0;
            else if (c === 0xed) hi = 0x9f;
          } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3;
            if (c === 0xf0) lo = 0x90;
            else if (c === 0xf4) hi = 0x8f;
          } else throw this.badString(i, `${describeByte(c)} is not UTF-8`);
          st = ST_UTF8;
        }
      } else if (st === ST_UTF8) {
        if (c < lo || c > hi) throw this.badString(i, `${describeByte(c)} breaks a UTF-8 sequence`);
        lo = 0x80;
        hi = 0xbf;
        if (--need === 0) st = ST_PLAIN;
      } else if (st === ST_ESC) {
        if (c === 0x75) st = ST_HEX4;
        else if (ESCAPABLE[c] === 1) st = ST_PLAIN;
        else throw this.badString(i, `bad escape \\${c >= 0x21 && c < 0x7f ? String.fromCharCode(c) : describeByte(c)} in a string`);
      } else {
        if (HEX[c] !== 1) throw this.badString(i, `${describeByte(c)} in a \\u escape (four hex digits expected)`);
        st = st === ST_HEX1 ? ST_PLAIN : st - 1;
      }
    }
    this.strSt = st;
    this.utfNeed = need;
    this.utfLo = lo;
    this.utfHi = hi;
    return -1;
  }

  private badString(i: number, detail: string): JsonStreamError {
    const at = this.base + i;
    return new JsonStreamError(`invalid JSON at byte ${at}: ${detail}`, at);
  }

  private scanString(buf: Buffer, i: number, n: number): number {
    const q = this.stringEnd(buf, i, n);
    if (q < 0) return n;
    const role = this.tokRole;
    if (role === T_SKIP_KEY) this.state = S_COLON;
    else if (role === T_SKIP_VALUE) this.valueDone();
    else {
      const bytes = this.tokenBytes(buf, q + 1);
      let s: string;
      try {
        s = decodeStringToken(bytes);
      } catch (e) {
        const text = bytes.toString('utf8');
        throw parseError(e, text, this.tokAbs, role === T_KEY ? `a key in ${pathText(this.path.slice(0, -1))}` : `the string at ${pathText(this.path)}`);
      }
      if (role === T_KEY) {
        this.path[this.sp - 1] = s;
        this.state = S_COLON;
      } else {
        this.emit(role, s);
        this.valueDone();
      }
    }
    return q + 1;
  }

  private scanNumber(buf: Buffer, i: number, n: number): number {
    let st = this.num;
    for (; i < n; i++) {
      const c = buf[i];
      const digit = c >= 0x30 && c <= 0x39;
      if (st === N_INT || st === N_FRAC || st === N_EXP) {
        if (digit) continue;
        if (c === 0x2e && st === N_INT) st = N_DOT;
        else if ((c === 0x65 || c === 0x45) && st !== N_EXP) st = N_E;
        else break;
      } else if (st === N_MINUS) {
        if (!digit) throw this.badNumber(i);
        st = c === 0x30 ? N_ZERO : N_INT;
      } else if (st === N_ZERO) {
        if (c === 0x2e) st = N_DOT;
        else if (c === 0x65 || c === 0x45) st = N_E;
        else if (digit) throw this.badNumber(i);
        else break;
      } else if (st === N_DOT) {
        if (!digit) throw this.badNumber(i);
        st = N_FRAC;
      } else if (st === N_E) {
        if (c === 0x2b || c === 0x2d) st = N_ESIGN;
        else if (digit) st = N_EXP;
        else throw this.badNumber(i);
      } else {
        // N_ESIGN
        if (!digit) throw this.badNumber(i);
        st = N_EXP;
      }
    }
    this.num = st;
    if (i === n) return n;
    this.finishNumber(buf, i);
    return i; // the terminating byte is structure
  }

  private badNumber(i: number): JsonStreamError {
    const at = this.base + i;
    return new JsonStreamError(`invalid JSON at byte ${at}: malformed number starting at byte ${this.tokAbs}`, at);
  }

  private finishNumber(buf: Buffer, end: number): void {
    const st = this.num;
    if (st !== N_ZERO && st !== N_INT && st !== N_FRAC && st !== N_EXP) throw this.badNumber(end);
    const role = this.tokRole;
    if (role !== T_SKIP_VALUE) {
      const b = this.tokenBytes(buf, end);
      let s = '';
      for (let k = 0; k < b.length; k++) s += String.fromCharCode(b[k]);
      this.emit(role, Number(s));
    }
    this.valueDone();
  }

  private scanLiteral(buf: Buffer, i: number, n: number): number {
    const lit = this.lit;
    let at = this.litAt;
    for (; i < n && at < lit.length; i++, at++) {
      if (buf[i] !== lit[at]) throw this.unexpected(buf[i], i, `'${String.fromCharCode(...lit)}'`);
    }
    this.litAt = at;
    if (at === lit.length) {
      if (this.tokRole !== T_SKIP_VALUE) this.emit(this.tokRole, lit === LIT_TRUE ? true : lit === LIT_FALSE ? false : null);
      this.valueDone();
    }
    return i;
  }

  /** Inside a captured object/array: track nesting and strings only; JSON.parse validates the slice at its end. */
  private scanCapture(buf: Buffer, i: number, n: number): number {
    if (this.capInString) {
      const q = this.stringEnd(buf, i, n);
      if (q < 0) return n;
      this.capInString = false;
      i = q + 1;
    }
    let d = this.capDepth;
    const limit = this.maxDepth - this.sp;
    while (i < n) {
      const k = CAPTURE_BYTE[buf[i]];
      if (k === 0) {
        i++;
        continue;
      }
      if (k === B_QUOTE) {
        const q = this.stringEnd(buf, i + 1, n);
        if (q < 0) {
          this.capInString = true;
          this.capDepth = d;
          return n;
        }
        i = q;
      } else if (k === B_OPEN) {
        if (++d > limit) throw this.tooDeep(i);
      } else if (--d === 0) {
        this.capDepth = 0;
        this.finishCapture(buf, i + 1);
        return i + 1;
      }
      i++;
    }
    this.capDepth = d;
    return n;
  }

  private finishCapture(buf: Buffer, end: number): void {
    const bytes = this.taken(buf, this.capStart, end);
    if (bytes.length > this.maxElementBytes) throw this.tooBig(this.capAbs, 'element');
    const text = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw parseError(e, text, this.capAbs, `the element at ${pathText(this.path)}`);
    }
    this.out.push({ type: 'element', path: this.path.slice(), value });
    this.valueDone();
  }
}

/** Reads a whole stream of chunks (e.g. fs.createReadStream) as events. */
export async function* streamJson(chunks: AsyncIterable<Uint8Array>, options: JsonStreamOptions): AsyncGenerator<JsonEvent> {
  const reader = new JsonStreamReader(options);
  for await (const chunk of chunks) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('streamJson: chunks must be bytes (Uint8Array/Buffer), not text');
    yield* reader.push(chunk);
  }
  yield* reader.end();
}
