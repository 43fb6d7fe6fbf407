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

const here = () => (typeof location === 'undefined' ? null : location)

const store = (kind: ReturnToOptions['storage']) => (kind === 'none' ? null : storageOf(kind))

export function createReturnTo({ param, storage, key, loginUrl }: ReturnToOptions) {
  const safe = (value: unknown) => {
    const loc = here()
    return loc ? toSafeReturnTo(value, loc.origin) : null
  }
  const current = () => {
    const loc = here()
    return loc ? loc.pathname + loc.search + loc.hash : null
  }
  const read = () => {
    try {
      return store(storage)?.getItem(key) ?? null
    } catch {
      return null
    }
  }
  const api = {
    /** Saves a safe URL (default: the current one); returns what was saved, or null. */
    save(url?: string): string | null {
      const value = safe(url ?? current())
      try {
        if (value) store(storage)?.setItem(key, value)
      } catch {
        // Quota or disabled storage: the login URL's query parameter still carries it.
      }
      return value
    },
    peek: (): string | null => safe(read()),
    /** The saved or query-supplied URL, once; otherwise the (validated) fallback. */
    consume(fallback = '/'): string {
      const saved = api.peek()
      try {
        store(storage)?.removeItem(key)
      } catch {}
      const loc = here()
      const fromQuery = loc ? safe(new URLSearchParams(loc.search).get(param)) : null
      return saved ?? fromQuery ?? safe(fallback) ?? '/'
    },
    loginHref(returnTo?: string): string {
      const value = safe(returnTo ?? api.peek() ?? current())
      if (!value) return loginUrl
      const [base, hash = ''] = loginUrl.split(/#(.*)/s)
      return `${base}${base!.includes('?') ? '&' : '?'}${encodeURIComponent(param)}=${encodeURIComponent(value)}${hash ? '#' + hash : ''}`
    },
    redirect(returnTo?: string) {
      here()?.assign(api.loginHref(returnTo))
    },
  }
  return api
}
