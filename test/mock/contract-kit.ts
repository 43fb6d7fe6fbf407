// What the contract tests use on any runtime of the mock: a runtime with the test's cookie
// jar, and small request helpers. Runtimes started in a test are closed after it.
import { afterEach, expect } from 'vitest'
import type { MockControl, MockOptions } from '../../src/mock/index.js'
import { TestJar } from './cookie-jar.js'

export interface Runtime {
  control: MockControl
  /** A fetch through the test's cookie jar: sends matching cookies, stores Set-Cookie. */
  fetch(path: string, init?: RequestInit & { cookies?: boolean }): Promise<Response>
  /** A plain fetch to the runtime, without the jar. */
  raw(path: string, init?: RequestInit): Promise<Response>
  jar: TestJar
  close(): Promise<void>
}

export type StartRuntime = (options: MockOptions) => Promise<{ origin: string; control: MockControl; close(): Promise<void> }>

export const JSON_HEADERS = { 'Content-Type': 'application/json' }

export function contractKit(start: StartRuntime) {
  let open: Runtime[] = []
  afterEach(async () => {
    await Promise.all(open.map((r) => r.close()))
    open = []
  })

  async function runtime(options: MockOptions = {}): Promise<Runtime> {
    const started = await start(options)
    const jar = new TestJar()
    const r: Runtime = {
      control: started.control,
      jar,
      close: started.close,
      raw: (path, init) => fetch(new URL(path, started.origin), init),
      async fetch(path, init = {}) {
        const { cookies = true, ...rest } = init
        const headers = new Headers(rest.headers)
        const cookie = cookies ? jar.header(new URL(path, started.origin).pathname) : null
        if (cookie) headers.set('Cookie', cookie)
        const res = await fetch(new URL(path, started.origin), { ...rest, headers })
        jar.receive(res, new URL(path, started.origin).pathname)
        return res
      },
    }
    open.push(r)
    return r
  }

  /** A request by another party (an attacker, a stale copy): neither reads nor feeds the client's jar. */
  const other = (r: Runtime, path: string, cookie: string, init: RequestInit = {}) => r.raw(path, { method: 'POST', ...init, headers: { Cookie: cookie } })
  const login = (r: Runtime, username = 'demo', password = 'demo') =>
    r.fetch('/auth/login', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ username, password }) })
  const refresh = (r: Runtime, init: RequestInit = {}) => r.fetch('/auth/refresh', { method: 'POST', ...init })
  const me = (r: Runtime, init: RequestInit = {}) => r.fetch('/api/me', init)
  /** Reads the whole answer, so a truncated body counts as the failure it is. */
  const settle = async (promise: Promise<Response>) => {
    const res = await promise
    const text = await res.text()
    return { res, text }
  }
  /** A test clock for idle and absolute expiry. */
  const clock = () => {
    const c = { t: 1_700_000_000_000, now: () => c.t, advance: (s: number) => void (c.t += s * 1000) }
    return c
  }
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 5))
    expect(condition()).toBe(true)
  }
  return { runtime, other, login, refresh, me, settle, clock, until }
}

export type ContractKit = ReturnType<typeof contractKit>
