// A deliberately separate, tiny cookie jar for the contract tests (not the one in src/mock,
// so the mock is not tested with itself): one origin, honours Path and Max-Age=0.

export interface JarCookie {
  name: string
  value: string
  path: string
  /** The raw Set-Cookie line it came from. */
  raw: string
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true
  return requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/')
}

export class TestJar {
  cookies = new Map<string, JarCookie>()

  receive(response: Response, requestPath: string): void {
    for (const raw of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = raw.split(';').map((part) => part.trim())
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      let path = requestPath.slice(0, Math.max(1, requestPath.lastIndexOf('/')))
      let maxAge: number | null = null
      for (const attribute of attributes) {
        const [key = '', v = ''] = attribute.split('=')
        if (key.toLowerCase() === 'path') path = v
        if (key.toLowerCase() === 'max-age') maxAge = Number(v)
      }
      const key = `${name};${path}`
      if (maxAge !== null && maxAge <= 0) this.cookies.delete(key)
      else this.cookies.set(key, { name, value, path, raw })
    }
  }

  /** Plants a cookie by hand (e.g. an attacker's value before login). */
  set(name: string, value: string, path = '/'): void {
    this.cookies.set(`${name};${path}`, { name, value, path, raw: `${name}=${value}; Path=${path}` })
  }

  get(name: string): JarCookie | undefined {
    return [...this.cookies.values()].filter((c) => c.name === name).sort((a, b) => b.path.length - a.path.length)[0]
  }

  header(requestPath: string): string | null {
    const matching = [...this.cookies.values()].filter((c) => pathMatches(requestPath, c.path)).sort((a, b) => b.path.length - a.path.length)
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : null
  }

  clear(): void {
    this.cookies.clear()
  }
}
