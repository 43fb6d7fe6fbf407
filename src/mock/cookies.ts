// Cookie text in and out, plus a tiny jar for runtimes with no browser cookie store behind
// them (a service worker's Set-Cookie never reaches the browser; Node's fetch keeps none).
// Only what the mock needs: one origin, Path and Max-Age; no Domain, no Expires dates.

export interface CookieAttributes {
  httpOnly?: boolean
  secure?: boolean
  sameSite?: 'Strict' | 'Lax' | 'None'
  path?: string
  /** Seconds; 0 deletes the cookie. */
  maxAge?: number
}

// Token-safe names and values only: the mock never writes anything that needs quoting.
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const VALUE = /^[!#$%&'()*+\-./0-9:<=>?@A-Z[\]^_`a-z{|}~]*$/

export function serializeCookie(name: string, value: string, attributes: CookieAttributes = {}): string {
  if (!NAME.test(name)) throw new TypeError(`invalid cookie name ${JSON.stringify(name)}`)
  if (!VALUE.test(value)) throw new TypeError(`invalid value for cookie ${name}`)
  let text = `${name}=${value}`
  if (attributes.path) text += `; Path=${attributes.path}`
  if (attributes.maxAge !== undefined) text += `; Max-Age=${Math.max(0, Math.floor(attributes.maxAge))}`
  if (attributes.httpOnly) text += '; HttpOnly'
  if (attributes.secure) text += '; Secure'
  if (attributes.sameSite) text += `; SameSite=${attributes.sameSite}`
  return text
}

/** Parses a Cookie request header. The first occurrence of a name wins (the most specific path comes first). */
export function parseCookieHeader(header: string | null | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null)
  if (!header) return cookies
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const name = part.slice(0, eq).trim()
    if (!name || name in cookies) continue
    let value = part.slice(eq + 1).trim()
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
    cookies[name] = value
  }
  return cookies
}

export interface ParsedSetCookie {
  name: string
  value: string
  path: string | null
  maxAge: number | null
  httpOnly: boolean
  secure: boolean
  sameSite: string | null
}

export function parseSetCookie(text: string): ParsedSetCookie | null {
  const [pair = '', ...attributes] = text.split(';')
  const eq = pair.indexOf('=')
  if (eq <= 0) return null
  const cookie: ParsedSetCookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    path: null,
    maxAge: null,
    httpOnly: false,
    secure: false,
    sameSite: null,
  }
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.split('=')
    const value = rest.join('=').trim()
    switch (key.trim().toLowerCase()) {
      case 'path':
        cookie.path = value.startsWith('/') ? value : null
        break
      case 'max-age':
        if (/^-?\d+$/.test(value)) cookie.maxAge = Number(value)
        break
      case 'httponly':
        cookie.httpOnly = true
        break
      case 'secure':
        cookie.secure = true
        break
      case 'samesite':
        cookie.sameSite = value
        break
    }
  }
  return cookie
}

/** RFC 6265 path-match. */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'
}

/** RFC 6265 default-path: the request path up to its last '/'. */
function defaultPath(requestPath: string): string {
  const slash = requestPath.lastIndexOf('/')
  return slash <= 0 ? '/' : requestPath.slice(0, slash)
}

/** An in-memory cookie jar for one origin. */
export class MemoryCookieJar {
  #cookies = new Map<string, { name: string; value: string; path: string; expiresAt: number | null }>()
  // Date.now looked up per call, so fake timers installed after the jar was made apply.
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Stores one Set-Cookie value received for `requestPath`. */
  set(setCookie: string, requestPath = '/'): void {
    const cookie = parseSetCookie(setCookie)
    if (!cookie) return
    const path = cookie.path ?? defaultPath(requestPath)
    const key = `${cookie.name};${path}`
    if (cookie.maxAge !== null && cookie.maxAge <= 0) {
      this.#cookies.delete(key)
      return
    }
    this.#cookies.set(key, { name: cookie.name, value: cookie.value, path, expiresAt: cookie.maxAge === null ? null : this.now() + cookie.maxAge * 1000 })
  }

  /** The Cookie header for a request to `requestPath` (longer paths first), or null. */
  header(requestPath: string): string | null {
    const now = this.now()
    const matching = [...this.#cookies.entries()]
      .filter(([key, cookie]) => {
        if (cookie.expiresAt !== null && cookie.expiresAt <= now) {
          this.#cookies.delete(key)
          return false
        }
        return pathMatches(requestPath, cookie.path)
      })
      .map(([, cookie]) => cookie)
      .sort((a, b) => b.path.length - a.path.length)
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : null
  }

  clear(): void {
    this.#cookies.clear()
  }
}
