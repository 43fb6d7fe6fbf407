import { DEV } from '../base/dev.js'
import { fail } from '../base/validate.js'
import type { Target } from './fetch.js'

/** The page's origin, or null outside a browser (SSR, Node). */
export const pageOrigin = (): string | null => (typeof location !== 'undefined' && /^https?:/.test(location.protocol) ? location.origin : null)

/**
 * Classifies `url` for credentials: 1 same-origin, 2 an allowed tokenOrigin, 0 anything else.
 * Relative paths are the common case and skip URL parsing (hot path).
 */
export function createOriginCheck(allowed: readonly string[]): (url: string) => Target {
  return (url) => {
    const page = pageOrigin()
    // fetch resolves a relative URL against the document's base URL: an injected
    // <base href="https://evil.example/"> must not make "/api" look same-origin.
    const base = (typeof document != 'undefined' && page && document.baseURI) || page
    // Not for "//", "/\\" or "/<tab|newline>…": URL parsers drop tabs and newlines, so
    // "/\t/evil.com" is protocol-relative. Those take the parsing path below.
    if (url[0] === '/' && !/^.[/\\\t\n\r]/.test(url) && (!page || base!.startsWith(page + '/'))) return 1
    try {
      const target = new URL(url, base ?? undefined).origin
      return target === page ? 1 : allowed.includes(target) ? 2 : 0
    } catch {
      return 0
    }
  }
}

/** An absolute http(s) origin such as https://api.example.com (a trailing slash is tolerated). */
export function absoluteOrigin(option: string, value: any): string {
  try {
    const url = new URL(value)
    if (/^https?:$/.test(url.protocol) && value.replace(/\/$/, '') == url.origin) return url.origin
  } catch {}
  return fail(option, (DEV ? 'an absolute http(s) origin such as "https://api.example.com"' : ''), value)
}
