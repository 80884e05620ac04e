// fast-check arbitraries of what a hostile or broken server can emit: wrong types, missing fields,
// huge strings, absurd nesting, `__proto__`/`constructor`/`prototype` as own keys, binary where
// JSON is expected, disguised script URLs, unknown event names. Valid events are mixed in, since
// a good event among bad ones must still arrive.
import fc from 'fast-check';
import { WEBSOCKET_EVENT_TYPES, type WebSocketEventType } from '../../src/protocol/index.js';
import { dangerousJsonText, safeUrl, validData } from '../protocol/arbitraries.js';
import { described } from './fastCheckReports.js';

/** One message as the server emits it: `socket.emit(name, payload)`. */
export interface HostileCase {
  /** socket.io sends numbers as event names too; a hostile server may. */
  name: string | number;
  payload: unknown;
}

/** Names socket.io itself refuses to emit (the server throws, the client's parser rejects). */
const SOCKET_IO_RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

const URL_FIELDS = new Set(['thumbnail_url', 'video_url']);

/** Above `MAX_TEXT_LENGTH`, and one time in ten above 1 MB. */
const hugeLength = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 10_001, max: 60_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000_000, max: 1_300_000 }) },
);
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(hugeLength, fc.constantFrom('x', '<', '\u0000', '\ud83d\ude00', 'javascript:'))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

/**
 * JSON nested up to 1,500 deep: socket.io's encoder (JSON.stringify) overflows the stack a few
 * thousand levels down, so deeper input comes as raw frames (see hostileInput.spec.ts).
 */
export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 50, max: 1500 }), fc.boolean())
  .map(
    ([depth, arrays]) =>
      JSON.parse(
        arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
      ) as unknown,
  );

const SCRIPT_SCHEMES = ['javascript', 'vbscript', 'data', 'livescript', 'file', 'blob'];
const SCRIPT_BODIES = [
  'alert(1)',
  '%0aalert(1)',
  '//%0aalert(document.domain)',
  'text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'msgbox(1)',
  '/etc/passwd',
];
/** Characters browsers drop or fold while parsing a URL, or read as a slash. */
const SNEAKY = [
  '\t',
  '\n',
  '\r',
  '\u0000',
  '\u0001',
  '\u001f',
  ' ',
  '\u00a0',
  '\u200b',
  '\u2028',
  '\ufeff',
  '\\',
  '&#09;',
  '&Tab;',
  '%09',
  '%0a',
];

function mixCase(text: string, flips: readonly boolean[]): string {
  return Array.from(text, (char, index) => (flips[index % flips.length] ? char.toUpperCase() : char)).join('');
}

function entityEncode(text: string, every: number): string {
  return Array.from(text, (char, index) => (index % every === 0 ? `&#${char.charCodeAt(0)};` : char)).join('');
}

/**
 * A script (or otherwise unsafe) URL in one of the spellings that have slipped past URL filters:
 * mixed case, controls and spaces inside or before the scheme, HTML entities, percent escapes,
 * full-width letters, protocol-relative and backslash hosts.
 */
export const disguisedUrl: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({
      scheme: fc.constantFrom(...SCRIPT_SCHEMES),
      body: fc.constantFrom(...SCRIPT_BODIES),
      flips: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      lead: fc.array(fc.constantFrom(...SNEAKY), { maxLength: 3 }),
      inside: fc.option(fc.tuple(fc.nat(9), fc.constantFrom(...SNEAKY)), { nil: undefined }),
      style: fc.constantFrom('plain', 'entities', 'percent', 'fullwidth', 'colon-entity'),
    })
    .map(({ scheme, body, flips, lead, inside, style }) => {
      let spelled = mixCase(scheme, flips);
      if (inside) spelled = spelled.slice(0, inside[0] % spelled.length) + inside[1] + spelled.slice(inside[0] % spelled.length);
      if (style === 'entities') spelled = entityEncode(spelled, 2);
      if (style === 'percent') spelled = spelled.replace(/[a-z]/i, (char) => `%${char.charCodeAt(0).toString(16)}`);
      if (style === 'fullwidth')
        spelled = Array.from(spelled, (char) =>
          /[a-z]/i.test(char) ? String.fromCharCode(char.charCodeAt(0) + 0xfee0) : char,
        ).join('');
      const colon = style === 'colon-entity' ? '&colon;' : ':';
      return `${lead.join('')}${spelled}${colon}${body}`;
    }),
  fc.constantFrom(
    '//evil.example/x.mp4',
    '///evil.example/x.mp4',
    '/\\evil.example/x.mp4',
    '\\\\evil.example\\x.mp4',
    '/\t/evil.example/x.mp4',
    '\u0001javascript:alert(1)',
    'java\u0000script:alert(1)',
    'javascript://https://cdn.example/%0aalert(1)',
    'https:\\\\evil.example',
    'jav&#x09;ascript:alert(1)',
    'data:image/svg+xml,<svg onload=alert(1)>',
    'javascript:/*https://ok.example/*/alert(1)',
    'x:javascript:alert(1)',
    'evil.example/x.mp4',
    './x.mp4',
  ),
  fc
    .tuple(fc.constantFrom('https://cdn.example/', '/media/'), fc.integer({ min: 2049, max: 5000 }))
    .map(([start, length]) => start + 'a'.repeat(length)),
);

const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, '', [], {}, -1, 101, 1.5, 2 ** 53 + 2, 1e308, '50', '1e3', ['progress'], { valueOf: 1 }),
  fc.jsonValue({ maxDepth: 3 }),
  hugeString,
  deepValue,
  dangerousJsonText.map((text) => JSON.parse(text) as unknown),
  fc.uint8Array({ maxLength: 32 }).map((bytes) => Buffer.from(bytes)),
);

const knownName = fc.constantFrom(...WEBSOCKET_EVENT_TYPES);

function dataOf(name: WebSocketEventType): fc.Arbitrary<Record<string, unknown>> {
  return validData[name] as fc.Arbitrary<unknown> as fc.Arbitrary<Record<string, unknown>>;
}

/** A valid event of `name`, with one field replaced, removed, or given a disguised URL. */
const mutated: fc.Arbitrary<HostileCase> = knownName.chain((name) =>
  fc
    .record({
      data: dataOf(name),
      pick: fc.nat(),
      how: fc.constantFrom('replace', 'remove', 'url'),
      wrong: wrongValue,
      url: disguisedUrl,
    })
    .map(({ data, pick, how, wrong, url }) => {
      const keys = Object.keys(data);
      const urlKeys = keys.filter((key) => URL_FIELDS.has(key));
      const key = how === 'url' && urlKeys.length > 0 ? urlKeys[pick % urlKeys.length]! : keys[pick % keys.length]!;
      if (how === 'remove') return { name, payload: Object.fromEntries(Object.entries(data).filter(([field]) => field !== key)) };
      return { name, payload: { ...data, [key]: how === 'url' && urlKeys.length > 0 ? url : wrong } };
    }),
);

/** A valid event whose payload also carries `__proto__`/`constructor`/`prototype` own keys. */
const validWithDangerousKeys: fc.Arbitrary<HostileCase> = knownName.chain((name) =>
  fc.tuple(dataOf(name), dangerousJsonText).map(([data, extra]) => ({
    name,
    payload: JSON.parse(
      `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":${extra},${JSON.stringify(data).slice(1)}`,
    ) as unknown,
  })),
);

const validEvent: fc.Arbitrary<HostileCase> = knownName.chain((name) => dataOf(name).map((payload) => ({ name, payload })));

/** Names that are not events: near misses, Object.prototype's keys, anything at all, numbers. */
const otherName: fc.Arbitrary<string | number> = fc
  .oneof(
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'hasOwnProperty',
      'toString',
      'valueOf',
      'PROGRESS',
      'progress ',
      ' progress',
      'clip-completed',
      'completed\u0000',
      'Completed',
      'error\n',
      '',
    ),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.integer(),
    fc.integer({ min: 1000, max: 200_000 }).map((length) => 'e'.repeat(length)),
  )
  .filter((name) => typeof name === 'number' || !SOCKET_IO_RESERVED.has(name));

const anyPayload: fc.Arbitrary<unknown> = fc.oneof(
  wrongValue,
  knownName.chain((name) => dataOf(name)),
);

/** One hostile message; valid ones are part of the mix (about one in eight). */
export const hostileCase: fc.Arbitrary<HostileCase> = fc
  .oneof(
    { weight: 5, arbitrary: mutated },
    { weight: 2, arbitrary: fc.record({ name: knownName, payload: wrongValue }) },
    { weight: 2, arbitrary: fc.record({ name: otherName, payload: anyPayload }) },
    { weight: 1, arbitrary: validWithDangerousKeys },
    { weight: 2, arbitrary: validEvent },
  )
  .map(described);

/** A `clip_completed` or `completed` whose URLs are disguised script URLs, or safe ones. */
export const urlCase: fc.Arbitrary<HostileCase> = fc.oneof(
  fc
    .record({
      clip_id: fc.string({ minLength: 1, maxLength: 12 }),
      thumbnail_url: fc.oneof(disguisedUrl, safeUrl),
      duration: fc.nat(100),
    })
    .map((payload) => ({ name: 'clip_completed', payload })),
  fc
    .record({ video_url: fc.oneof(disguisedUrl, safeUrl), thumbnail_url: fc.oneof(disguisedUrl, safeUrl), duration: fc.nat(100) })
    .map((payload) => ({ name: 'completed', payload })),
);
