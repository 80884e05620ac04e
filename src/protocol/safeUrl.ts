import * as v from 'valibot';

/** Longest URL accepted from the wire; longer ones are almost certainly an attack or a bug. */
export const MAX_URL_LENGTH = 2048;

// Browsers silently drop C0 controls, tabs and newlines while parsing a URL, which is how
// `java\tscript:` and `\u0001javascript:` slip past naive prefix checks. Refusing them outright
// (and backslashes, which browsers read as `/`) leaves nothing for the parser to reinterpret.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\\]/;

/**
 * Whether `url` is safe to put in an `href` or `src`: an absolute `http:`/`https:` URL or a
 * root-relative path (`/media/clip.mp4`). Everything else is refused, including `javascript:`,
 * `data:` and `vbscript:` in any spelling, protocol-relative `//host` URLs and plain relative paths.
 *
 * @example
 * isSafeUrl('https://cdn.example.com/v.mp4'); // true
 * isSafeUrl(' JaVaScRiPt:alert(1)');          // false
 */
export function isSafeUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) return false;
  if (UNSAFE_CHARACTERS.test(url)) return false;
  if (url.startsWith('/')) return !url.startsWith('//');
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** A URL field from the wire: see {@link isSafeUrl}. */
export const SafeUrlSchema = v.pipe(
  v.string(),
  v.check((url) => isSafeUrl(url), 'must be an http(s) URL or a root-relative path'),
);
