// The intended URL, kept through re-login: saved per tab (sessionStorage by default),
// handed back once, and only ever as a same-origin path.
import { storageOf } from '../core/storage.js'
import { toSafeReturnTo } from './safe-url.js'

export interface ReturnToOptions {
  param: string
  storage: 'session' | 'local' | 'none'
  key: string
  loginUrl: string
}

const here = () => (typeof location == 'undefined' ? null : location)

export function createReturnTo({ param, storage, key, loginUrl }: ReturnToOptions) {
  const safe = (value: unknown) => {
    const loc = here()
    return loc && toSafeReturnTo(value, loc.origin)
  }
  const current = () => {
    const loc = here()
    return loc && loc.pathname + loc.search + loc.hash
  }
  // Storage may be missing, blocked (Safari private mode) or full: then the login URL's
  // query parameter alone carries the URL, and nothing throws.
  const stored = (op: 'getItem' | 'setItem' | 'removeItem', value?: string): string | null => {
    try {
      return (storage != 'none' && (storageOf(storage) as any)?.[op](key, value)) ?? null
    } catch {
      return null
    }
  }
  const api = {
    /** Saves a safe URL (default: the current one); returns what was saved, or null. */
    save(url?: string): string | null {
      const value = safe(url ?? current())
      if (value) stored('setItem', value)
      return value
    },
    peek: (): string | null => safe(stored('getItem')),
    /** The saved or query-supplied URL, once; otherwise the (validated) fallback. */
    consume(fallback = '/'): string {
      const saved = api.peek()
      stored('removeItem')
      return saved ?? safe(new URLSearchParams(here()?.search).get(param)) ?? safe(fallback) ?? '/'
    },
    loginHref(returnTo?: string): string {
      const value = safe(returnTo ?? api.peek() ?? current())
      if (!value) return loginUrl
      const [base, hash] = loginUrl.split(/(#.*)/s)
      return `${base}${base!.includes('?') ? '&' : '?'}${encodeURIComponent(param)}=${encodeURIComponent(value)}${hash ?? ''}`
    },
    redirect(returnTo?: string) {
      here()?.assign(api.loginHref(returnTo))
    },
  }
  return api
}
