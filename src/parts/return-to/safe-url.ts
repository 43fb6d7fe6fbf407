/**
 * Returns `value` as a same-origin relative URL ("/path?query#hash") or null.
 *
 * One robust rule does the work: resolve with the URL parser against the page's origin and
 * compare origins. A few cheap pre-checks reject what parsers disagree about (backslashes,
 * control characters and whitespace, encoded slashes that a server may decode into "//").
 * Only values that start with a single "/" are considered: relative forms such as
 * "orders/1" or "?x" depend on the current page and are refused on purpose.
 */
export function toSafeReturnTo(value: unknown, origin: string): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null
  // Whitespace, control characters (C0 and C1) and any backslash: browsers strip or normalise
  // them differently from servers, which is what open-redirect payloads rely on.
  if (/[\s\x00-\x1f\x7f-\x9f\\]/.test(value)) return null
  // Compatibility forms (fullwidth "／", "＼"...) become "/" and "\" under the NFKC normalisation
  // some servers apply: the normalised value must pass too.
  const folded = value.normalize('NFKC')
  if (folded != value && !toSafeReturnTo(folded, origin)) return null
  let url: URL
  try {
    url = new URL(value, origin)
  } catch {
    return null
  }
  if (url.origin !== origin) return null
  const relative = value[0] === '/' ? value : value.startsWith(origin + '/') ? value.slice(origin.length) : null
  // "//" up front, also after dot segments are resolved ("/..//evil.com", "/%2e%2e//evil").
  if (!relative || relative[1] === '/' || url.pathname[1] === '/') return null
  // Encoded "/", "\\" or control characters in the path can be decoded into "//host" by the next hop.
  const path = relative.split(/[?#]/, 1)[0]!
  if (/%(2f|5c|[01][0-9a-f]|7f)/i.test(path)) return null
  return relative
}
