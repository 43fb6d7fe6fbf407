// The intended URL, kept through re-login: saved per tab (sessionStorage by default),
// handed back once, and only ever as a same-origin path.
import { storageOf } from '../../base/storage.js'
import { toSafeReturnTo } from './safe-url.js'

export interface ReturnToConfig {
  param: string
  storage: 'session' | 'local' | 'none'
  key: string
  loginUrl: string
}

const here = () => (typeof location == 'undefined' ? null : location)

export function createReturnTo({ param, storage, key, loginUrl }: ReturnToConfig) {
  const safe = (value: unknown) => {
    const loc = here()
    return loc && toSafeReturnTo(value, loc.origin)
  }
  const current = () => {
    const loc = here()
    return loc && loc.pathname + loc.search + loc.hash
  }
  const used = key + ':used'
  // Storage may be missing, blocked (Safari private mode) or full: then the login URL's
  // query parameter alone carries the URL, and nothing throws.
  const stored = (op: 'getItem' | 'setItem' | 'removeItem', value?: string, name = key, kind = storage): string | null => {
    try {
      return (kind != 'none' && (storageOf(kind) as any)?.[op](name, value)) ?? null
    } catch {
      return null
    }
  }
  /** The query-supplied path, and drops it from the address bar (the rest of the URL stays). */
  const fromQuery = (): string | null => {
    const loc = here()
    if (!loc) return null
    const url = new URL(loc.href)
    const value = safe(url.searchParams.get(param))
    if (url.searchParams.has(param)) {
      url.searchParams.delete(param)
      try {
        history.replaceState(history.state, '', url.pathname + url.search + url.hash)
      } catch {}
    }
    // Consumed once per tab: a reload (or a history entry that still has it) gets the fallback.
    if (!value || stored('getItem', undefined, used, 'session') == value) return null
    stored('setItem', value, used, 'session')
    return value
  }
  const api = {
    /** Saves a safe URL (default: the current one); returns what was saved, or null. */
    save(url?: string): string | null {
      const value = safe(url ?? current())
      if (value) stored('setItem', value), stored('removeItem', undefined, used, 'session')
      return value
    },
    peek: (): string | null => safe(stored('getItem')),
    /** The saved or query-supplied URL, once; otherwise the (validated) fallback. */
    consume(fallback = '/'): string {
      const saved = api.peek()
      stored('removeItem')
      const query = fromQuery()
      return saved ?? query ?? safe(fallback) ?? '/'
    },
    loginHref(returnTo?: string): string {
      const value = safe(returnTo ?? api.peek() ?? current())
      if (!value) return loginUrl
      const [base, hash] = loginUrl.split(/(#.*)/s)
      return `${base}${base!.includes('?') ? '&' : '?'}${encodeURIComponent(param)}=${encodeURIComponent(value)}${hash ?? ''}`
    },
    redirect(returnTo?: string) {
      const href = api.loginHref(returnTo)
      // A new trip to the login page: its return path may be consumed again.
      stored('removeItem', undefined, used, 'session')
      const loc = here()
      // A relative login URL is this page's: under a <base href> on another origin (injected
      // markup), location.assign would resolve it there, so it is resolved against the page.
      const base = typeof document == 'undefined' ? null : document.baseURI
      loc?.assign(base && !base.startsWith(loc.origin + '/') && !/^([a-z][a-z\d+.-]*:|\/\/)/i.test(href) ? new URL(href, loc.href).href : href)
    },
  }
  return api
}
