import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { eventsFromValue, type EventOptions, type JsonEvent } from '../../src/core/gate/json-events.js';
import { JsonStreamError, JsonStreamReader, streamJson, type JsonStreamOptions } from '../../src/core/gate/json-stream.js';
import { REPO_ROOT } from '../helpers/corpus.js';

const REPORTS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'scanner-reports');

/** The capture paths each format's adapter asks for (Snyk: its findings array). */
const CAPTURES: Record<string, string[]> = {
  'trivy-json': ['Results.*.Vulnerabilities.*', 'Results.*.Misconfigurations.*', 'Results.*.Secrets.*', 'Metadata'],
  'grype-json': ['matches.*', 'ignoredMatches.*', 'source', 'descriptor', 'distro'],
  sarif: ['runs.*.results.*', 'runs.*.tool'],
  vex: ['statements.*', 'vulnerabilities.*'],
  'snyk-json': ['vulnerabilities.*']
};

// ---------------------------------------------------------------------------------------------------------------
// helpers

/** Deterministic PRNG (mulberry32), so every failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const enc = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Cuts `bytes` at the given sorted offsets. */
function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of cuts) {
    if (c <= from || c >= bytes.length) continue;
    out.push(bytes.subarray(from, c));
    from = c;
  }
  out.push(bytes.subarray(from));
  return out;
}

function fixedChunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

function randomChunks(bytes: Uint8Array, seed: number, count = 64): Uint8Array[] {
  const rnd = prng(seed);
  const cuts = Array.from({ length: count }, () => Math.floor(rnd() * bytes.length)).sort((a, b) => a - b);
  return splitAt(bytes, cuts);
}

function readChunks(chunks: Iterable<Uint8Array>, options: JsonStreamOptions): JsonEvent[] {
  const reader = new JsonStreamReader(options);
  const events: JsonEvent[] = [];
  for (const c of chunks) for (const e of reader.push(c)) events.push(e);
  for (const e of reader.end()) events.push(e);
  return events;
}

/**
 * Feeds `size`-byte chunks through one scratch buffer that is scribbled over after each push, so the reader must
 * copy whatever it keeps (and the test allocates nothing per chunk, which keeps 1-byte runs fast).
 */
function readFixed(bytes: Uint8Array, size: number, options: JsonStreamOptions): JsonEvent[] {
  const reader = new JsonStreamReader(options);
  const scratch = Buffer.alloc(size);
  const events: JsonEvent[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    const len = Math.min(size, bytes.length - i);
    for (let k = 0; k < len; k++) scratch[k] = bytes[i + k];
    const got = reader.push(len === size ? scratch : scratch.subarray(0, len));
    for (const e of got) events.push(e);
    for (let k = 0; k < len; k++) scratch[k] = 0x5d;
  }
  for (const e of reader.end()) events.push(e);
  return events;
}

function reference(text: string, options: EventOptions): JsonEvent[] {
  return [...eventsFromValue(JSON.parse(text), options)];
}

/** Deep strict equality (−0 ≠ 0) that stays fast on big reports; on a mismatch, shows the first differing event. */
function expectSameEvents(got: JsonEvent[], want: JsonEvent[], label: string): void {
  if (isDeepStrictEqual(got, want)) return;
  const i = want.findIndex((e, k) => !isDeepStrictEqual(got[k], e));
  const at = i < 0 ? want.length : i;
  expect({ label, index: at, count: got.length, event: got[at] }).toEqual({ label, index: at, count: want.length, event: want[at] });
}

function thrown(fn: () => unknown): JsonStreamError {
  try {
    fn();
  } catch (e) {
    if (e instanceof JsonStreamError) return e;
    throw new Error(`expected a JsonStreamError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a JsonStreamError, but the input was accepted');
}

function readString(text: string, options: JsonStreamOptions, chunkSize?: number): JsonEvent[] {
  const bytes = enc(text);
  return readChunks(chunkSize ? fixedChunks(bytes, chunkSize) : [bytes], options);
}

/** Offsets inside string literals (quotes excluded) of a valid JSON text. */
function stringInteriors(bytes: Uint8Array): Uint8Array {
  const inside = new Uint8Array(bytes.length);
  let inStr = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (!inStr) {
      if (c === 0x22) inStr = true;
    } else if (c === 0x5c) {
      inside[i] = inside[i + 1] = 1;
      i++;
    } else if (c === 0x22) inStr = false;
    else inside[i] = 1;
  }
  return inside;
}

// ---------------------------------------------------------------------------------------------------------------
// the corpus

interface CorpusFile {
  folder: string;
  rel: string;
  bytes: Buffer;
  text: string;
}

function listSources(): { rows: string[]; counts: Record<string, number> } {
  const md = fs.readFileSync(path.join(REPORTS, 'SOURCES.md'), 'utf8');
  const rows = [...md.matchAll(/^\| ([a-z0-9-]+\/[^ |]+) \|/gm)].map((m) => m[1]);
  const countsLine = /^Counts per folder: (.*)$/m.exec(md)?.[1] ?? '';
  const counts = Object.fromEntries([...countsLine.matchAll(/([a-z0-9-]+): (\d+)/g)].map((m) => [m[1], Number(m[2])]));
  return { rows, counts };
}

function corpus(): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (const folder of fs.readdirSync(REPORTS, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(REPORTS, folder.name)).sort()) {
      const bytes = fs.readFileSync(path.join(REPORTS, folder.name, f));
      files.push({ folder: folder.name, rel: `${folder.name}/${f}`, bytes, text: bytes.toString('utf8') });
    }
  }
  return files.sort((a, b) => a.rel.localeCompare(b.rel));
}

const FILES = corpus();
const byName = (suffix: string): CorpusFile => {
  const f = FILES.find((x) => x.rel.endsWith(suffix));
  if (!f) throw new Error(`corpus file ${suffix} missing`);
  return f;
};

describe('the scanner-report corpus', () => {
  it('is exactly the files SOURCES.md lists, so the equivalence tests cannot pass vacuously', () => {
    const { rows, counts } = listSources();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(32);
    expect(rows).toHaveLength(total);
    expect(FILES.map((f) => f.rel)).toEqual([...rows].sort((a, b) => a.localeCompare(b)));
    for (const [folder, n] of Object.entries(counts)) expect([folder, FILES.filter((f) => f.folder === folder).length]).toEqual([folder, n]);
    // Every folder has capture paths, so every file is read the way its adapter reads it.
    for (const f of FILES) expect([f.rel, CAPTURES[f.folder] !== undefined]).toEqual([f.rel, true]);
  });
});

describe('JsonStreamReader emits exactly the events of eventsFromValue', () => {
  describe.each(FILES.map((f) => [f.rel, f] as const))('%s', (_rel, file) => {
    it('with its format captures, in one chunk, fixed-size chunks (64 KiB, 4093, 7 and 1 byte) and at random split points', () => {
      const options = { captures: CAPTURES[file.folder] };
      const want = reference(file.text, options);
      // Sanity: the captures hit something in every real report.
      expect(want.some((e) => e.type === 'element')).toBe(true);
      expectSameEvents(readChunks([file.bytes], options), want, 'one chunk');
      for (const size of [65536, 4093, 7, 1]) expectSameEvents(readFixed(file.bytes, size, options), want, `${size}-byte chunks`);
      for (const seed of [1, 2]) expectSameEvents(readChunks(randomChunks(file.bytes, seed * 7919 + file.bytes.length), options), want, `random ${seed}`);
    });

    it('with no captures (scalars only, deep and shallow), so skipping and path tracking are both exercised', () => {
      for (const opts of [
        { captures: [], scalarDepth: 2 },
        { captures: [], scalarDepth: 64 },
        { captures: ['*'], scalarDepth: 0 }
      ]) {
        const ref = reference(file.text, opts);
        expectSameEvents(readChunks([file.bytes], opts), ref, `${JSON.stringify(opts)} one chunk`);
        expectSameEvents(readChunks(randomChunks(file.bytes, 42), opts), ref, `${JSON.stringify(opts)} random chunks`);
      }
    });
  });
});

describe('generated documents (fuzz against eventsFromValue)', () => {
  const KEYS = ['a', 'b', 'c', 'Results', 'Vulnerabilities', '*', '', 'é', 'k"q', 'back\\slash', 'tab\t', '😀', 'x.y', '\u2028'];
  const STRINGS = [
    '',
    'plain',
    'quote " and \\ backslash',
    'ctl \n\r\t\b\f\u0001\u001f',
    'unicode é ü 中文 😀',
    '\u2028\u2029',
    '\ud800 lone',
    'x'.repeat(300)
  ];
  const NUMBERS = [0, 1, -1, 42, 3.14, -2.5e-7, 1e300, 123456789012345, Number.MAX_SAFE_INTEGER, 5e-324];

  function value(rnd: () => number, depth: number): unknown {
    const r = rnd();
    if (depth > 5 || r < 0.35) {
      const s = rnd();
      if (s < 0.4) return STRINGS[Math.floor(rnd() * STRINGS.length)];
      if (s < 0.8) return NUMBERS[Math.floor(rnd() * NUMBERS.length)];
      return [true, false, null][Math.floor(rnd() * 3)];
    }
    const n = Math.floor(rnd() * 5);
    if (r < 0.65) return Array.from({ length: n }, () => value(rnd, depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) o[KEYS[Math.floor(rnd() * KEYS.length)]] = value(rnd, depth + 1);
    return o;
  }

  /** JSON with random JSON whitespace between tokens. */
  function serialize(v: unknown, rnd: () => number): string {
    const ws = () => [' ', '\n', '\r\n', '\t', '', '', ''][Math.floor(rnd() * 7)];
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (Array.isArray(v)) return `[${ws()}${v.map((x) => serialize(x, rnd)).join(`${ws()},${ws()}`)}${ws()}]`;
    const body = Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}${ws()}:${ws()}${serialize(x, rnd)}`);
    return `{${ws()}${body.join(`${ws()},${ws()}`)}${ws()}}`;
  }

  const CAPTURE_SETS = [[], ['a.*'], ['*'], ['*.*'], ['Results.*.Vulnerabilities.*', 'b'], ['a.*.b', 'c'], ['*.0', '*.*.*.*'], ['é.*', '😀', 'k"q.*']];

  it('random values, whitespace, captures, scalar depths and chunkings give identical events', () => {
    const rnd = prng(20240601);
    let docs = 0;
    let events = 0;
    for (let n = 0; n < 400; n++) {
      const v = { a: value(rnd, 1), b: value(rnd, 1), Results: [value(rnd, 2), { Vulnerabilities: [value(rnd, 3), value(rnd, 3)] }], c: value(rnd, 1) };
      const text = (rnd() < 0.5 ? '\ufeff' : '') + serialize(v, rnd) + ['', '\n', ' \r\n\t'][n % 3];
      const options = { captures: CAPTURE_SETS[n % CAPTURE_SETS.length], scalarDepth: Math.floor(rnd() * 6) };
      const want = [...eventsFromValue(v, options)];
      const bytes = enc(text);
      // Plain Uint8Arrays (not Buffers) with empty chunks in between, too.
      const plain = randomChunks(bytes, n).flatMap((c) => [new Uint8Array(c), new Uint8Array(0)]);
      const chunking = [[bytes], fixedChunks(bytes, 1 + Math.floor(rnd() * 9)), plain];
      for (const chunks of chunking) expectSameEvents(readChunks(chunks, options), want, `doc ${n}`);
      docs++;
      events += want.length;
    }
    expect(docs).toBe(400);
    expect(events).toBeGreaterThan(2000);
  });

  it('top-level scalars and empty containers read without events', () => {
    for (const t of ['0', '-0', '12.5e3', '"x"', 'true', 'false', 'null', '[]', '{}', ' [ ] ', '\ufeff{}']) {
      expect([t, readString(t, { captures: ['*'] })]).toEqual([t, []]);
      expect([t, readString(t, { captures: ['*'] }, 1)]).toEqual([t, []]);
    }
  });

  it('keeps -0, big and tiny numbers exactly as JSON.parse does', () => {
    const text = '{"a":-0,"b":1E400,"c":-1e-400,"d":12345678901234567890,"e":[-0.0,1e-7],"f":{"g":-0}}';
    for (const captures of [[], ['e', 'f']]) expectSameEvents(readString(text, { captures }, 3), reference(text, { captures }), 'numbers');
    expect(Object.is(readString(text, { captures: [] })[0].value, -0)).toBe(true);
  });

  it('decodes keys and scalars with escapes and multi-byte UTF-8 split across chunks', () => {
    const text = '{"k\\u00e9y\\n":"v\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\ud83d\\ude00","中文😀":["é","😀"],"x":{"\\"":1}}';
    const want = reference(text, { captures: [] });
    expect(want).toHaveLength(4);
    for (const size of [1, 2, 3, 5]) expectSameEvents(readString(text, { captures: [] }, size), want, `size ${size}`);
  });

  it('documents the two intended differences: document order for index-like keys, and every duplicate key', () => {
    // JSON.parse moves index-like keys first and keeps only the last duplicate; a stream cannot, and need not.
    const events = readString('{"b":1,"2":2,"1":3,"d":{"x":1,"x":2}}', { captures: [] });
    expect(events.map((e) => [e.path.join('.'), e.value])).toEqual([
      ['b', 1],
      ['2', 2],
      ['1', 3],
      ['d.x', 1],
      ['d.x', 2]
    ]);
    // Inside a captured element JSON.parse decides, so both agree there.
    const text = '{"m":[{"2":1,"1":2,"x":1,"x":3}]}';
    expectSameEvents(readString(text, { captures: ['m.*'] }), reference(text, { captures: ['m.*'] }), 'captured');
  });
});

describe('malformed input always fails with a JsonStreamError', () => {
  it('empty input', () => {
    for (const t of ['', '   ', '\n\t\r ', '\ufeff', '\ufeff  ']) {
      for (const size of [undefined, 1]) {
        const e = thrown(() => readString(t, { captures: [] }, size));
        expect(e.message).toBe('empty input');
        expect(e.offset).toBe(enc(t).length);
      }
    }
    expect(thrown(() => new JsonStreamReader({ captures: [] }).end()).message).toBe('empty input');
  });

  it('a real report truncated at every offset near its ends and at every 13th byte in between', () => {
    const file = byName('trivy__alpine-310.json.golden');
    const end = file.bytes.lastIndexOf(0x7d) + 1; // a prefix this long is the whole document
    const offsets: number[] = [];
    for (let n = 0; n < end; n++) if (n < 600 || n > end - 600 || n % 13 === 0) offsets.push(n);
    const options = { captures: CAPTURES['trivy-json'] };
    for (const n of offsets) {
      const prefix = file.bytes.subarray(0, n);
      const e = thrown(() => readChunks(splitAt(prefix, [Math.floor(n / 3), Math.floor((2 * n) / 3)]), options));
      if (n === 0) expect(e.message).toBe('empty input');
      else expect([n, e.message, e.offset]).toEqual([n, `unexpected end of input at byte ${n} (truncated?)`, n]);
    }
    expect(offsets.length).toBeGreaterThan(2000);
    expect(readChunks([file.bytes.subarray(0, end)], options).length).toBeGreaterThan(0);
  });

  it('every format truncated at random offsets, one byte at a time at the cut', () => {
    const rnd = prng(7);
    for (const file of FILES.filter((f) => f.bytes.length < 1_100_000)) {
      const options = { captures: CAPTURES[file.folder] };
      const end = file.bytes.lastIndexOf(0x7d) + 1;
      for (let k = 0; k < 12; k++) {
        const n = 1 + Math.floor(rnd() * (end - 1));
        const e = thrown(() =>
          readChunks([file.bytes.subarray(0, Math.max(0, n - 5)), ...fixedChunks(file.bytes.subarray(Math.max(0, n - 5), n), 1)], options)
        );
        expect([file.rel, n, e.message]).toEqual([file.rel, n, `unexpected end of input at byte ${n} (truncated?)`]);
      }
    }
  });

  it('byte mutations of real reports: accepted only when JSON.parse accepts them (same events), or inside a skipped string', () => {
    const rnd = prng(99);
    const ALPHABET = enc('{}[],:"\\ 0a-.e\u0000');
    let rejected = 0;
    let lenient = 0;
    for (const name of [
      'trivy__debian-stretch.json.golden',
      'steadybit__shopping-demo__trivy-results.json',
      'WhizUs__sbom-meetup__sarif.json',
      'kzantow-anchore__scan-action-test__vex.json'
    ]) {
      const file = byName(name);
      const options = { captures: CAPTURES[file.folder] };
      const inString = stringInteriors(file.bytes);
      for (let k = 0; k < 150; k++) {
        const pos = Math.floor(rnd() * file.bytes.length);
        const kind = k % 3;
        let mutated: Buffer;
        if (kind === 0) mutated = Buffer.concat([file.bytes.subarray(0, pos), file.bytes.subarray(pos + 1)]);
        else {
          const b = ALPHABET[Math.floor(rnd() * ALPHABET.length)];
          mutated = Buffer.concat([file.bytes.subarray(0, pos), Buffer.from([b]), file.bytes.subarray(kind === 1 ? pos : pos + 1)]);
        }
        let want: JsonEvent[] | undefined;
        try {
          want = reference(mutated.toString('utf8'), options);
        } catch {
          want = undefined;
        }
        let got: JsonEvent[] | undefined;
        try {
          got = readChunks(randomChunks(mutated, k, 8), options);
        } catch (e) {
          if (!(e instanceof JsonStreamError)) throw e;
        }
        if (want) expectSameEvents(got ?? [], want, `${name} mutation ${k} at ${pos}`);
        else if (got) {
          // Skipped strings are only scanned for their end: an invalid escape or control byte inside one passes.
          expect([name, k, pos, inString[pos] === 1 || inString[pos - 1] === 1]).toEqual([name, k, pos, true]);
          lenient++;
        } else rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(150);
    expect(lenient).toBeLessThan(rejected / 4);
  });

  // Each malformed fragment is tried where the reader tracks the path (a top-level key), inside a skipped container
  // and inside a captured element.
  const PLACES: Array<[string, (frag: string) => string]> = [
    ['tracked', (f) => `{"k":1,"v":${f}}`],
    ['skipped', (f) => `{"s":{"t":{"u":{"v":${f}}}}}`],
    ['captured', (f) => `{"m":[{"v":${f}}]}`]
  ];
  const BAD: Array<[string, string]> = [
    ['mismatched bracket', '[1,2}'],
    ['mismatched brace', '{"a":1]'],
    ['missing value in array', '[1,,2]'],
    ['leading comma', '[,1]'],
    ['trailing comma in array', '[1,2,]'],
    ['trailing comma in object', '{"a":1,}'],
    ['missing value in object', '{"a":}'],
    ['missing colon', '{"a" 1}'],
    ['missing comma', '[1 2]'],
    ['key not a string', '{a:1}'],
    ['number key', '{1:1}'],
    ['unterminated string', '"abc}'],
    ['bad literal', 'tru'],
    ['literal with tail', 'nullx'],
    ['capitalised literal', 'True'],
    ['leading zero', '01'],
    ['bare minus', '-'],
    ['dot without digits', '1.'],
    ['leading dot', '.5'],
    ['empty exponent', '1e'],
    ['plus sign', '+1'],
    ['hex', '0x1F'],
    ['NaN', 'NaN'],
    ['single quotes', "'a'"],
    ['stray byte', '[1]x'],
    ['NUL byte', '[\u0000]'],
    ['comment', '[1 /* c */]'],
    ['nothing', '']
  ];
  it.each(PLACES)('structural errors %s', (_place, wrap) => {
    for (const [what, frag] of BAD) {
      const text = wrap(frag);
      expect(() => JSON.parse(text)).toThrow();
      for (const size of [undefined, 1]) {
        const e = thrown(() => readString(text, { captures: ['m.*'], scalarDepth: 3 }, size));
        expect([what, size, e.offset >= 0 && e.offset <= enc(text).length, /^(invalid JSON at byte \d+: |unexpected end of input)/.test(e.message)]).toEqual([
          what,
          size,
          true,
          true
        ]);
      }
    }
  });

  it('reports the byte offset and what was expected', () => {
    expect(thrown(() => readString('{"a":1,"b":[1,2}', { captures: [] })).message).toBe("invalid JSON at byte 15: unexpected '}', expected ',' or ']'");
    expect(thrown(() => readString('{"a" 1}', { captures: [] })).offset).toBe(5);
    expect(thrown(() => readString('{"a":[1,]}', { captures: [] })).message).toBe("invalid JSON at byte 8: unexpected ']', expected a value");
    expect(thrown(() => readString('{"a":01}', { captures: [] })).message).toBe('invalid JSON at byte 6: malformed number starting at byte 5');
    // Inside a captured element JSON.parse finds the error; its position is mapped back to a byte offset (é is 2 bytes).
    const e = thrown(() => readString('{"m":[{"é":"x\\q"}]}', { captures: ['m.*'] }));
    expect(e.message).toBe('invalid JSON at byte 15: bad escape \\q in a string');
    expect(e.offset).toBe(15);
  });

  it('trailing data after the value', () => {
    for (const [t, at] of [
      ['{} {}', 3],
      ['{"a":1}\n}', 8],
      ['[1]2', 3],
      ['4 2', 2],
      ['"x""y"', 3],
      ['null\u0000', 4]
    ] as const) {
      for (const size of [undefined, 1]) {
        const e = thrown(() => readString(t, { captures: [] }, size));
        expect([t, e.message, e.offset]).toEqual([t, `trailing data after the JSON value at byte ${at}`, at]);
      }
    }
  });

  it('invalid escapes and control characters in every decoded string (keys, scalars, captured elements)', () => {
    for (const text of [
      '{"a\\x":1}',
      '{"a":"\\x"}',
      '{"a":"\\u12"}',
      '{"a":"\\u12G4"}',
      '{"a":"tab\there"}',
      '{"a":{"b\\q":1}}',
      '{"m":[{"a":"\\x"}]}',
      '{"m":["\\x"]}',
      '{"m":["a\nb"]}',
      '{"m":[{"k\\u":1}]}'
    ]) {
      expect(() => JSON.parse(text)).toThrow();
      for (const size of [undefined, 1, 2]) {
        const e = thrown(() => readString(text, { captures: ['m.*'] }, size));
        expect([text, e.message]).toEqual([text, expect.stringMatching(/^invalid JSON at byte \d+: /)]);
      }
    }
    // Strings inside skipped containers are validated too (issue 15): invalid JSON is never read as a report.
    for (const size of [undefined, 1, 2])
      expect(thrown(() => readString('{"s":{"t":{"u":{"v":"\\x"}}}}', { captures: [] }, size)).message).toBe(
        'invalid JSON at byte 22: bad escape \\x in a string'
      );
  });

  it('a BOM is skipped, also when split across chunks; a broken BOM or a BOM later is an error', () => {
    const text = '\ufeff{"a":"b"}';
    for (const size of [undefined, 1, 2]) expect(readString(text, { captures: [] }, size)).toEqual([{ type: 'scalar', path: ['a'], value: 'b' }]);
    expect(thrown(() => readChunks([Buffer.from([0xef, 0xbb, 0x7b, 0x7d])], { captures: [] })).message).toMatch(/^invalid JSON at byte 2: /);
    expect(thrown(() => readChunks([Buffer.from([0xef, 0xbb])], { captures: [] })).message).toBe('unexpected end of input at byte 2 (truncated?)');
    expect(thrown(() => readString(' \ufeff{}', { captures: [] })).message).toMatch(/^invalid JSON at byte 1: /);
  });

  it('wrong types are not the reader’s business: it reports what is there, exactly like eventsFromValue', () => {
    const captures = CAPTURES['trivy-json'];
    for (const text of [
      '{"Results":"none"}',
      '{"Results":[1,"a",null,true]}',
      '{"Results":{"x":{"Vulnerabilities":{"a":1,"b":[2]}}}}',
      '{"Results":[{"Vulnerabilities":"x","Misconfigurations":[1,[2],{"3":4}]}]}',
      '{"Metadata":null,"SchemaVersion":"2"}',
      '[{"Results":[{"Vulnerabilities":[{}]}]}]',
      '"Results"'
    ])
      for (const size of [undefined, 1]) expectSameEvents(readString(text, { captures }, size), reference(text, { captures }), text);
  });

  it('nesting 10^5 levels deep fails cleanly at the limit, wherever it is, without a stack overflow', () => {
    const deep = 100_000;
    for (const [what, text] of [
      ['arrays at the top', '['.repeat(deep) + ']'.repeat(deep)],
      ['objects in a tracked path', '{"a":'.repeat(deep) + '1' + '}'.repeat(deep)],
      ['inside a skipped container', '{"s":{"t":{"u":' + '['.repeat(deep) + ']'.repeat(deep) + '}}}'],
      ['inside a captured element', '{"m":[' + '['.repeat(deep) + ']'.repeat(deep) + ']}'],
      ['truncated', '['.repeat(deep)]
    ]) {
      for (const size of [undefined, 4096]) {
        const e = thrown(() => readString(text, { captures: ['m.*'] }, size));
        expect([what, e.message]).toEqual([what, expect.stringMatching(/^nesting deeper than 512 at byte \d+$/)]);
        expect(e.offset).toBeLessThan(3000);
      }
    }
    // A custom limit: a reader that allows it reads 10^5 levels iteratively (also when captured).
    const ok = '{"m":[' + '['.repeat(deep) + '1' + ']'.repeat(deep) + '],"s":' + '['.repeat(deep) + ']'.repeat(deep) + '}';
    const events = readString(ok, { captures: ['m.*'], maxDepth: deep + 10 }, 65536);
    expect(events).toHaveLength(1);
    expect(events[0].path).toEqual(['m', 0]);
    expect(thrown(() => readString('[[[]]]', { captures: [], maxDepth: 2 })).message).toBe('nesting deeper than 2 at byte 2');
  });

  it('an element larger than maxElementBytes fails instead of growing without bound', () => {
    const text = `{"m":[{"d":"${'x'.repeat(5000)}"}],"big":"${'y'.repeat(5000)}"}`;
    for (const size of [undefined, 1000]) {
      expect(thrown(() => readString(text, { captures: ['m.*'], maxElementBytes: 4096 }, size)).message).toMatch(
        /^element at m\.0 \(byte 6\) is larger than maxElementBytes \(4096 bytes\)$/
      );
      expect(thrown(() => readString(text, { captures: [], scalarDepth: 1, maxElementBytes: 4096 }, size)).message).toMatch(
        /^value at big \(byte 5022\) is larger than maxElementBytes/
      );
    }
    expect(readString(text, { captures: ['m.*'], maxElementBytes: 6000 })).toHaveLength(2);
  });

  it('a failed reader keeps failing; end() twice is harmless', () => {
    const r = new JsonStreamReader({ captures: [] });
    const e = thrown(() => r.push(enc('{"a":]')));
    expect(thrown(() => r.push(enc('}')))).toBe(e);
    expect(thrown(() => r.end())).toBe(e);
    const ok = new JsonStreamReader({ captures: [] });
    ok.push(enc('{"a":1}'));
    expect(ok.end()).toEqual([]);
    expect(ok.end()).toEqual([]);
    expect(() => ok.push(enc(' '))).toThrow(/after end/);
  });
});

describe('scale', () => {
  it('streams 10^6 small captured elements with bounded memory and the right count', () => {
    const N = 1_000_000;
    const reader = new JsonStreamReader({ captures: ['matches.*'] });
    // Live heap (after a full GC) at checkpoints along the stream: it must not grow with the elements read.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const live: number[] = [];
    let maxBuffered = 0;
    let count = 0;
    let sum = 0;
    let lastId = '';
    let tail: unknown;
    const handle = (events: JsonEvent[]) => {
      for (const e of events) {
        if (e.type === 'element') {
          const v = e.value as { id: string; s: number };
          count++;
          sum += v.s;
          lastId = v.id;
          if (e.path[1] !== count - 1) throw new Error(`bad index ${String(e.path[1])} for element ${count}`);
        } else tail = e.value;
      }
    };
    // Produced on the fly and cut at a size that is not a multiple of an element, so elements span chunks.
    let pending = Buffer.from('{"SchemaVersion":2,"matches":[');
    const CHUNK = 65_521;
    let bytes = 0;
    for (let i = 0; i < N; i += 5000) {
      let s = '';
      for (let j = i; j < i + 5000 && j < N; j++) s += `${j ? ',' : ''}{"id":"CVE-${j}","s":${j % 7}}`;
      if (i + 5000 >= N) s += '],"tail":"end"}\n';
      pending = Buffer.concat([pending, Buffer.from(s)]);
      while (pending.length >= CHUNK) {
        handle(reader.push(pending.subarray(0, CHUNK)));
        bytes += CHUNK;
        pending = pending.subarray(CHUNK);
        maxBuffered = Math.max(maxBuffered, reader.bufferedBytes);
      }
      if (i % 200_000 === 0) {
        gc();
        live.push(process.memoryUsage().heapUsed);
      }
    }
    handle(reader.push(pending));
    bytes += pending.length;
    handle(reader.end());
    expect(count).toBe(N);
    expect(sum).toBe(Array.from({ length: 7 }, (_, k) => k * Math.floor((N + 6 - k) / 7)).reduce((a, b) => a + b, 0));
    expect(lastId).toBe(`CVE-${N - 1}`);
    expect(tail).toBe('end');
    expect(bytes).toBeGreaterThan(25_000_000);
    // Only the element in flight is kept between chunks, and the heap does not grow with the document.
    expect(maxBuffered).toBeLessThan(64);
    expect(live).toHaveLength(5);
    expect(Math.max(...live) - Math.min(...live)).toBeLessThan(8 * 1024 * 1024);
  });
});

describe('streamJson', () => {
  it('reads a file stream and yields the same events', async () => {
    const file = byName('grype-json/Sput__doc-rag__grype-results.json');
    const options = { captures: CAPTURES['grype-json'] };
    const got: JsonEvent[] = [];
    for await (const e of streamJson(fs.createReadStream(path.join(REPORTS, file.rel), { highWaterMark: 1000 }), options)) got.push(e);
    expectSameEvents(got, reference(file.text, options), 'file stream');
  });

  it('rejects a truncated stream with a JsonStreamError, and text chunks with a TypeError', async () => {
    const gen = streamJson(Readable.from([enc('{"matches":[{"a":'), enc('1}')]), { captures: ['matches.*'] });
    await expect(
      (async () => {
        for await (const _e of gen);
      })()
    ).rejects.toThrow(new JsonStreamError('unexpected end of input at byte 19 (truncated?)', 19));
    const text = streamJson(Readable.from(['{}']), { captures: [] });
    await expect(text.next()).rejects.toThrow(TypeError);
  });
});
