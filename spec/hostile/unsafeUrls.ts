/** Attributes a browser loads or navigates to. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'srcset',
  'action',
  'formaction',
  'poster',
  'xlink:href',
  'background',
  'cite',
  'data',
  'codebase',
  'ping',
]);

/**
 * Whether a URL attribute is one jobstream may render: an absolute http(s) URL or a root-relative
 * path, with nothing a browser would fold away first (controls, spaces, backslashes), and
 * resolving to http(s) against the page.
 */
function isAllowed(value: string, base: string): boolean {
  // eslint-disable-next-line no-control-regex -- controls are what browsers drop from URLs, so what this looks for.
  if (/[\u0000-\u0020\u007f-\u00a0\u2028\u2029\ufeff\\]/.test(value)) return false;
  if (value.startsWith('//')) return false;
  if (!value.startsWith('/') && !/^https?:/i.test(value)) return false;
  try {
    const { protocol } = new URL(value, base);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Every URL attribute under `root` that is not an http(s) URL or a root-relative path, as
 * `TAG[attr]="value"`. Empty means no script or foreign-scheme URL reached the DOM.
 *
 * @example
 * expect(unsafeUrls(container)).toEqual([]);
 */
export function unsafeUrls(root: Element): string[] {
  const found: string[] = [];
  const base = root.ownerDocument.baseURI;
  for (const element of [root, ...root.querySelectorAll('*')]) {
    for (const { name, value } of element.attributes) {
      if (URL_ATTRIBUTES.has(name.toLowerCase()) && !isAllowed(value, base))
        found.push(`${element.tagName}[${name}]=${JSON.stringify(value)}`);
    }
  }
  return found;
}

/** Every URL attribute under `root`, to show that the check had something to look at. */
export function renderedUrls(root: Element): string[] {
  return [...root.querySelectorAll('[href],[src]')].map(
    (element) => element.getAttribute('href') ?? element.getAttribute('src') ?? '',
  );
}
