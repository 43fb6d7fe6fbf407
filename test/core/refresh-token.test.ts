// The refresh secret a custom refresh rotates (an identity provider's refresh token): kept in
// memory, handed to whichever tab refreshes next, shared over the channel only, never stored,
// never in state, events or errors; a late reply is still adopted; a custom logout gets it.
import { describe, expect, it, vi } from 'vitest'
import { createSession, SessionEndedError, type RefreshContext, type Session, type SessionOptions } from '../../src/index.js'
import { createStorageChannel, withoutSecrets } from '../../src/parts/fallback/storage-channel.js'
import { createLocalHub, createLocalLock } from '../helpers/tabs.js'
import { track } from '../helpers/sessions.js'


/** An identity provider that rotates refresh tokens and revokes the grant on reuse. */
function provider() {
  let generation = 0
  const spent = new Set<string>()
  const seen: Array<string | undefined> = []
  const op = {
    grants: 0,
    reuse: 0,
    seen,
    current: 'rt-0',
    /** The access token the API accepts (the last one issued). */
    validAccess: 'at-0',
    /** The grant is revoked at the provider: every refresh ends the session. */
    revoked: false,
    async refresh({ refreshToken }: RefreshContext) {
      seen.push(refreshToken)
      op.grants++
      if (op.revoked) throw new SessionEndedError(400, 'revoked')
      if (!refreshToken || spent.has(refreshToken)) {
        op.reuse++
        throw new SessionEndedError(400, 'revoked')
      }
      spent.add(refreshToken)
      op.current = `rt-${++generation}`
      op.validAccess = `at-${generation}`
      return { expiresIn: 300, accessToken: `at-${generation}`, refreshToken: op.current, user: { id: 'u1', email: 'a@example.com' } }
    },
  }
  return op
}

function tabs(n: number, options: SessionOptions, hub = createLocalHub(), lock = createLocalLock()) {
  const make = () => {
    const s = createSession({ credentials: 'bearer', crossTab: { channel: hub.channel(), lock }, ...options })
    track(s)
    return s
  }
  return { list: Array.from({ length: n }, make), make, hub }
}

const api = (s: Session) => s.fetch('/api/x', { headers: {} }).then((r) => r.status)

describe('the refresh secret across tabs', () => {
  it('3 tabs × 20 concurrent 401s, 3 times: one grant each, each presents the newest token, no reuse', async () => {
    const op = provider()
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit) =>
      new Response(null, { status: (init?.headers as Record<string, string>)?.Authorization == `Bearer ${op.validAccess}` ? 200 : 401 })
    const { list } = tabs(3, { refresh: op.refresh, fetch })
    list[0]!.signIn({ expiresIn: 300, accessToken: 'at-0', refreshToken: 'rt-0' })
    await vi.waitFor(() => expect(list.map((t) => t.getState().status)).toEqual(Array(3).fill('authenticated')))
    for (let round = 0; round < 3; round++) {
      const before = op.grants
      op.validAccess = 'expired' // every access token the tabs hold now gets a 401
      const results = await Promise.all(list.flatMap((t) => Array.from({ length: 20 }, () => api(t))))
      expect(op.grants - before).toBe(1)
      expect(results.every((s) => s == 200)).toBe(true)
    }
    expect(op.reuse).toBe(0)
    // Every grant presented the token the previous one issued.
    expect(op.seen).toEqual(['rt-0', 'rt-1', 'rt-2'])
  })

  it('a tab opened later gets the newest secret from the others (hello) and refreshes without reuse', async () => {
    const op = provider()
    const { list, make } = tabs(1, { refresh: op.refresh, fetch: async () => new Response(null, { status: 200 }) })
    list[0]!.signIn({ expiresIn: 300, accessToken: 'at-0', refreshToken: 'rt-0' })
    await list[0]!.refresh() // rotates to rt-1 in tab 0
    const late = make()
    await late.start() // learns the session (and the secret) from tab 0
    expect(late.getState().status).toBe('authenticated')
    expect(await late.refresh()).toBe(true)
    expect(op.seen).toEqual(['rt-0', 'rt-1'])
    expect(op.reuse).toBe(0)
  })

  it('never in state, events, errors or storage; the storage fallback channel strips it', async () => {
    const op = provider()
    const recorded: unknown[] = []
    const { list } = tabs(2, { refresh: op.refresh, fetch: async () => new Response(null, { status: 200 }) })
    for (const t of list)
      for (const name of ['refreshed', 'refreshFailed', 'signedIn', 'signedOut', 'error', 'lockTimeout'] as const) t.on(name, (e) => recorded.push(e))
    list[0]!.signIn({ expiresIn: 300, accessToken: 'at-0', refreshToken: 'rt-0' })
    await list[1]!.refresh()
    op.revoked = true
    await list[0]!.refresh()
    await vi.waitFor(() => expect(list.map((t) => t.getState().status)).toEqual(['signedOut', 'signedOut']))
    const everything = JSON.stringify([recorded, list.map((t) => t.getState()), { ...localStorage }, { ...sessionStorage }, document.cookie], (_k, v) =>
      v instanceof Error ? { ...v, message: v.message } : v,
    )
    expect(everything).not.toMatch(/rt-\d/)
    const writes: string[] = []
    const storage = { setItem: (_k: string, v: string) => writes.push(v), removeItem: () => {}, getItem: () => null } as unknown as Storage
    const channel = createStorageChannel('app', storage)!
    channel.post({ v: 1, from: 'a', type: 'refreshed', credentials: { version: 2, expiresAt: 3, absoluteExpiresAt: null, accessToken: 'at', refreshToken: 'rt-9', user: { id: 1 } } })
    expect(writes[0]).not.toContain('rt-9')
    channel.close()
  })

  it('over a channel that cannot carry it (the storage fallback), other tabs never refresh without it and nobody is signed out', async () => {
    const op = provider()
    const hub = createLocalHub()
    const lock = createLocalLock()
    // Messages between the tabs go as the storage channel would write them.
    const storageLike = () => {
      const inner = hub.channel()
      return { ...inner, post: (m: unknown) => inner.post(withoutSecrets(m)) }
    }
    const make = () => track(createSession({ credentials: 'bearer', refresh: op.refresh, fetch: async () => new Response(null, { status: 200 }), crossTab: { channel: storageLike(), lock } }))
    const [holder, other] = [make(), make()]
    const failures: Array<{ transient: boolean; message: string }> = []
    other.on('refreshFailed', ({ error, transient }) => failures.push({ transient, message: (error as Error).message }))
    holder.signIn({ expiresIn: 300, accessToken: 'at-0', refreshToken: 'rt-0' })
    await vi.waitFor(() => expect(other.getState().status).toBe('authenticated'))
    expect(await other.refresh()).toBe(false)
    expect(op.grants).toBe(0) // no call with a missing token: the provider would take it for theft
    expect(failures).toEqual([{ transient: true, message: expect.stringContaining('the refresh token is in the tab that signed in') }])
    // The tab that holds the secret refreshes as before, and every tab stays signed in.
    expect(await holder.refresh()).toBe(true)
    expect(op.seen).toEqual(['rt-0'])
    await vi.waitFor(() => expect(other.getState().version).toBe(holder.getState().version))
    expect(await other.refresh()).toBe(false)
    expect([holder, other].map((t) => t.getState().status)).toEqual(['authenticated', 'authenticated'])
    expect(op.reuse).toBe(0)
  })

  it('a reply that lands after refreshTimeout is still adopted: the rotated secret is never lost', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const op = provider()
    let slow = true
    const refresh = async (context: RefreshContext) => {
      // An app that (rightly) does not pass `signal` to its token request.
      if (slow) await new Promise((r) => setTimeout(r, 12_000))
      return op.refresh(context)
    }
    const session = createSession({ credentials: 'bearer', crossTab: false, refresh, refreshTimeout: 10_000, fetch: async () => new Response(null, { status: 200 }) })
    track(session)
    session.signIn({ expiresIn: 300, accessToken: 'at-0', refreshToken: 'rt-0' })
    const first = session.refresh()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(await first).toBe(false) // timed out: transient, the session stays
    expect(session.getState().status).toBe('authenticated')
    const version = session.getState().version
    await vi.advanceTimersByTimeAsync(2_000) // the late reply lands and is adopted
    expect(session.getState().version).toBeGreaterThan(version)
    slow = false
    expect(await session.refresh()).toBe(true) // the next refresh presents the rotated secret
    expect(op.seen).toEqual(['rt-0', 'rt-1'])
    expect(op.reuse).toBe(0)
  })
})

describe('a custom logout', () => {
  it('runs once per sign-out, in one tab, with the secret; the local sign-out happens whatever it does', async () => {
    const calls: unknown[] = []
    const logout = vi.fn(async (context: unknown) => {
      calls.push(context)
      throw new Error('identity provider down')
    })
    const { list } = tabs(3, { refresh: provider().refresh, logout, fetch: async () => new Response(null, { status: 200 }) })
    list[0]!.signIn({ expiresIn: 300, accessToken: 'at-0', refreshToken: 'rt-0' })
    await vi.waitFor(() => expect(list.map((t) => t.getState().status)).toEqual(Array(3).fill('authenticated')))
    const errors: unknown[] = []
    list[1]!.on('error', (e) => errors.push(e.during))
    await list[1]!.signOut()
    await vi.waitFor(() => expect(list.map((t) => t.getState().status)).toEqual(Array(3).fill('signedOut')))
    expect(calls).toEqual([{ reason: 'logout', refreshToken: 'rt-0', accessToken: 'at-0' }])
    expect(errors).toEqual(['logout'])
  })

  it('a hanging custom logout is cut off by logoutTimeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const session = createSession({ crossTab: false, logout: () => new Promise(() => {}), logoutTimeout: 1_000, refresh: async () => ({ expiresIn: 60 }) })
    track(session)
    await session.start()
    let done = false
    void session.signOut().then(() => (done = true))
    await vi.advanceTimersByTimeAsync(999)
    expect(session.getState().status).toBe('signedOut') // signed out at once, the call still pending
    expect(done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(done).toBe(true)
  })
})
