import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isSafeUrl, MAX_URL_LENGTH, SafeUrlSchema } from '../../src/protocol/index.js';
import { safeUrl } from './arbitraries.js';

const BASE = 'https://app.example.com/dashboard/';

describe('isSafeUrl', () => {
  describe('with an http(s) or root-relative URL', () => {
    it.each([
      'https://a.b/c.mp4',
      'http://localhost:5173/x',
      'HTTPS://CDN.EXAMPLE.COM/V.MP4',
      'https://cdn.example.com/v.mp4?sig=abc%2F&exp=1#t=10',
      'https://cdn.example.com:8443/a/b/c.jpg',
      'http://[::1]:3000/t.png',
      '/media/a.png',
      '/api/v1/thumbnails/g/1.svg',
      '/media/a.png?w=320#frag',
      '/',
      `https://a.b/${'x'.repeat(MAX_URL_LENGTH - 'https://a.b/'.length)}`,
    ])('should accept %s', (url) => {
      expect(isSafeUrl(url)).toBe(true);
      expect(v.is(SafeUrlSchema, url)).toBe(true);
    });
  });

  describe('with a dangerous or unsupported URL', () => {
    // prettier-ignore
    it.each<[string, unknown]>([
      ['javascript',                      'javascript:alert(1)'],
      ['mixed-case javascript',           'JaVaScRiPt:alert(1)'],
      ['space-prefixed javascript',       ' javascript:alert(1)'],
      ['C0-prefixed javascript',          '\u0001javascript:alert(1)'],
      ['NUL-prefixed javascript',         '\u0000javascript:alert(1)'],
      ['tab-split javascript',            'java\tscript:alert(1)'],
      ['newline-split javascript',        'java\nscript:alert(1)'],
      ['CR-split javascript',             'java\rscript:alert(1)'],
      ['entity-encoded colon',            'javascript&#58;alert(1)'],
      ['percent-encoded scheme',          '%6Aavascript:alert(1)'],
      ['data',                            'data:text/html,<script>alert(1)</script>'],
      ['upper-case data',                 'DATA:text/html;base64,PHNjcmlwdD4='],
      ['vbscript',                        'vbscript:msgbox("x")'],
      ['bare vbscript',                   'vbscript:'],
      ['protocol-relative',               '//evil.example'],
      ['protocol-relative with path',     '//evil.example/a.png'],
      ['slash-backslash',                 '/\\evil.example'],
      ['double backslash',                '\\\\evil'],
      ['backslash after scheme',          'https:\\\\evil.example'],
      ['slash-tab-slash',                 '/\t/evil.example'],
      ['slash-newline-slash',             '/\n/evil.example'],
      ['plain relative path',             'relative/path'],
      ['dot-relative path',               './a.png'],
      ['empty string',                    ''],
      ['over-long URL',                   `https://a.b/${'x'.repeat(3000)}`],
      ['one char past the limit',         `https://a.b/${'x'.repeat(MAX_URL_LENGTH - 'https://a.b/'.length + 1)}`],
      ['embedded newline',                'https://x\n.example/a'],
      ['trailing newline',                'https://x.example/a\n'],
      ['embedded space',                  'https://x.example/a b'],
      ['null',                            null],
      ['undefined',                       undefined],
      ['a number',                        1],
      ['an object',                       {}],
      ['a URL object',                    new URL('https://a.b/c')],
      ['a String object',                 Object('https://a.b/c')],
      ['file',                            'file:///etc/passwd'],
      ['ftp',                             'ftp://example.com/a'],
      ['blob',                            'blob:https://a.b/1234'],
      ['about',                           'about:blank'],
      ['ws',                              'wss://a.b/socket'],
      ['mailto',                          'mailto:a@b.c'],
      ['full-width javascript',           'ｊａｖａｓｃｒｉｐｔ:alert(1)'],
      ['full-width colon',                'javascript：alert(1)'],
      ['full-width solidus pair',         '／／evil.example'],
      ['ideographic-space prefix',        '\u3000javascript:alert(1)'],
      ['no-break-space prefix',           '\u00a0javascript:alert(1)'],
      ['zero-width-space prefix',         '\u200bjavascript:alert(1)'],
      ['BOM prefix',                      '\ufeffjavascript:alert(1)'],
      ['line-separator prefix',           '\u2028javascript:alert(1)'],
      ['ogham-space prefix',              '\u1680javascript:alert(1)'],
      ['narrow-no-break-space prefix',    '\u202fjavascript:alert(1)'],
      ['DEL inside',                      'java\u007fscript:alert(1)'],
      ['C1 inside',                       'java\u0085script:alert(1)'],
      ['root-relative with NBSP',         '/\u00a0/evil.example'],
      ['zero-width joiner in the path',   'https://cdn.example.com/\u200dv.mp4'],
      ['left-to-right mark in a path',    '/\u200e/evil.example'],
    ])('should refuse %s', (_, url) => {
      expect(isSafeUrl(url)).toBe(false);
      expect(v.is(SafeUrlSchema, url)).toBe(false);
    });
  });

  describe('properties', () => {
    const DANGEROUS_SCHEMES = ['javascript:', 'data:', 'vbscript:'];
    // Everything a browser may skip or a naive check may stumble on: C0 and C1 controls, DEL,
    // and every code point JavaScript's `\s` matches.
    const ignorable = fc.oneof(
      fc.integer({ min: 0x00, max: 0x20 }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0x7f, max: 0xa0 }).map((code) => String.fromCharCode(code)),
      fc.constantFrom('\u1680', '\u2000', '\u2005', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'),
    );
    const noise = fc.array(ignorable, { maxLength: 2 }).map((chars) => chars.join(''));

    function stripped(url: string): string {
      // eslint-disable-next-line no-control-regex -- stripping control characters is the point
      return url.replace(/[\u0000-\u001f\u007f-\u009f\s]/g, '').toLowerCase();
    }

    const disguised = fc
      .tuple(
        fc.constantFrom(...DANGEROUS_SCHEMES),
        fc.infiniteStream(fc.tuple(fc.boolean(), noise)),
        noise,
        fc.string({ unit: 'binary', maxLength: 30 }),
      )
      .map(([scheme, mutations, lead, rest]) => {
        const iterator = mutations[Symbol.iterator]();
        const body = scheme
          .split('')
          .map((char) => {
            const [upper, inserted] = iterator.next().value as [boolean, string];
            return (upper ? char.toUpperCase() : char) + inserted;
          })
          .join('');
        return lead + body + rest;
      });

    it('should refuse javascript:, data: and vbscript: however they are disguised', () => {
      fc.assert(
        fc.property(disguised, (url) => {
          fc.pre(DANGEROUS_SCHEMES.some((scheme) => stripped(url).startsWith(scheme)));

          expect(isSafeUrl(url)).toBe(false);
        }),
        { numRuns: 5000 },
      );
    });

    it('should only accept what a browser resolves to http(s), on the page origin when root-relative', () => {
      const anyString = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.tuple(fc.constantFrom('/', '//', 'http:', 'https://', 'javascript:', '\\'), fc.string({ maxLength: 20 })).map(
          ([head, tail]) => head + tail,
        ),
        safeUrl,
      );

      fc.assert(
        fc.property(anyString, (url) => {
          fc.pre(isSafeUrl(url));

          const resolved = new URL(url, BASE);
          expect(['http:', 'https:']).toContain(resolved.protocol);
          if (url.startsWith('/')) expect(resolved.origin).toBe(new URL(BASE).origin);
        }),
        { numRuns: 5000 },
      );
    });

    it('should accept every URL the payload generators produce', () => {
      fc.assert(
        fc.property(safeUrl, (url) => {
          expect(isSafeUrl(url)).toBe(true);
        }),
        { numRuns: 1000 },
      );
    });
  });
});
