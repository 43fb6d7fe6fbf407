// The fault matrix: what the user experiences when the network, the server, the clock,
// the locks, the channel or storage misbehave. Each case asserts the outcome, not internals.
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSession, idle, returnTo } from '../../src/index.js'
import type { Session, SessionOptions } from '../../src/index.js'
import { createStorageChannel } from '../../src/parts/fallback/storage-channel.js'
import { createStubServer, type StubServer } from '../helpers/stub-server.js'
import { createLocalHub, createLocalLock } from '../helpers/tabs.js'

let sessions: Session[] = []
afterEach(() => {
  sessions.forEach((s) => s.destroy())
  sessions = []
  vi.useRealTimers()
  vi.unstubAllGlobals()
})
function make(server: StubServer, options: SessionOptions = {}) {
  const s = createSession({ credentials: 'bearer', crossTab: false, fetch: server.fetch, ...options })
  sessions.push(s)
  return s
}

describe('network and server faults', () => {
  it('offline: requests fail as fetch fails, the session survives, and the refresh is retried when back online', async () => {
    const server = createStubServer()
    const session = make(server, { retry: { base: 60_000, max: 60_000 } })
    await session.start()
    server.expire()
    server.refreshAnswers.push('network')
    expect((await session.fetch('/api/a')).status).toBe(401)
    expect(session.getState().status).toBe('authenticated')
    window.dispatchEvent(new Event('online'))
    await vi.waitFor(() => expect(server.calls.refresh).toBe(3))
    expect((await session.fetch('/api/a')).status).toBe(200)
  })

  it('backoff grows exponentially with jitter up to the cap, then recovers when the server does', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const server = createStubServer()
    const session = make(server, { retry: { base: 1_000, max: 8_000 } })
    await session.start()
    const delays: number[] = []
    session.on('refreshFailed', (e) => delays.push(e.retryAt! - Date.now()))
    server.refreshAnswers.push(500, 500, 500, 500, 500, 500)
    await session.refresh()
    for (let i = 0; i < 6; i++) await vi.advanceTimersByTimeAsync(8_000)
    expect(delays).toHaveLength(6)
    const caps = [1_000, 2_000, 4_000, 8_000, 8_000, 8_000]
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(caps[i]! / 2)
      expect(d).toBeLessThanOrEqual(caps[i]!)
    })
    expect(session.getState().status).toBe('authenticated')
    expect(server.calls.refresh).toBe(1 + 7) // start + 6 failures + the recovery
    expect((await session.fetch('/api/ok')).status).toBe(200)
  })

  it('server clock skew of ±1 hour does not move deadlines: they come from relative expiresIn', async () => {
    for (const skew of [-3_600_000, 3_600_000]) {
      const server = createStubServer({ expiresIn: 120 })
      const skewed: typeof fetch = async (input, init) => {
        const res = await server.fetch(input, init)
        const headers = new Headers(res.headers)
        headers.set('Date', new Date(Date.now() + skew).toUTCString())
        return new Response(res.body, { status: res.status, headers })
      }
      const session = make(server, { fetch: skewed })
      const before = Date.now()
      await session.start()
      const expiresAt = session.getState().expiresAt!
      expect(expiresAt - before).toBeGreaterThanOrEqual(120_000)
      expect(expiresAt - Date.now()).toBeLessThanOrEqual(120_000)
    }
  })

  it('1,000 concurrent session.fetch calls go through one refresh, none lost', async () => {
    const server = createStubServer()
    const session = make(server)
    await session.start()
    server.expire()
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => session.fetch(`/api/${i}`)))
    expect(results.every((r) => r.status === 200)).toBe(true)
    expect(server.calls.refresh).toBe(2)
  })

  it('soak: 10,000 requests with periodic token expiry: zero lost, one refresh per expiry, no listener or timer growth', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const server = createStubServer({ expiresIn: 3600 })
    const listeners = { added: 0, removed: 0 }
    const add = window.addEventListener.bind(window)
    const remove = window.removeEventListener.bind(window)
    vi.spyOn(window, 'addEventListener').mockImplementation((...a: Parameters<typeof add>) => (listeners.added++, add(...a)))
    vi.spyOn(window, 'removeEventListener').mockImplementation((...a: Parameters<typeof remove>) => (listeners.removed++, remove(...a)))
    const session = make(server, { use: [idle({ timeout: 3_600_000 })] })
    await session.start()
    const timersAtStart = vi.getTimerCount()
    const listenersAtStart = listeners.added - listeners.removed
    let ok = 0
    for (let batch = 0; batch < 100; batch++) {
      if (batch % 10 === 0) server.expire()
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => session.fetch(`/api/${batch}/${i}`)))
      ok += results.filter((r) => r.status === 200).length
    }
    expect(ok).toBe(10_000)
    expect(server.calls.refresh).toBe(1 + 10)
    expect(vi.getTimerCount()).toBe(timersAtStart)
    expect(listeners.added - listeners.removed).toBe(listenersAtStart)
  })
})

describe('lock faults', () => {
  it('a refresh lock held forever by a frozen tab: the refresh goes on after lockTimeout and says so', async () => {
    const server = createStubServer()
    const lock = createLocalLock()
    const session = make(server, { crossTab: { channel: createLocalHub().channel(), lock }, lockTimeout: 50, refreshTimeout: 40 })
    lock.hang('session-continuity:refresh')
    const timeouts: unknown[] = []
    session.on('lockTimeout', (e) => timeouts.push(e))
    await session.start()
    expect(session.getState().status).toBe('authenticated')
    expect(timeouts).toEqual([{ lock: 'session-continuity:refresh', waitedMs: 50 }])
  })

  it('a lock that fails outright (not a timeout) does not stall the refresh: it goes on without it and reports it', async () => {
    const server = createStubServer()
    const broken = { run: async () => Promise.reject(new DOMException('The document is not fully active.', 'InvalidStateError')) }
    const session = make(server, { crossTab: { channel: createLocalHub().channel(), lock: broken } })
    const errors: unknown[] = []
    session.on('error', (e) => errors.push(e.during))
    await session.start()
    expect(session.getState().status).toBe('authenticated')
    expect(server.calls.refresh).toBe(1)
    expect(errors).toEqual(['refresh'])
  })

  it('a lock released by a tab that closed mid-refresh: the next tab refreshes normally', async () => {
    const server = createStubServer()
    const hub = createLocalHub()
    const lock = createLocalLock()
    const b = make(server, { crossTab: { channel: hub.channel(), lock } })
    await b.start()
    const release = await lock.hold!('session-continuity:refresh') // tab A holds it, then "closes"
    server.expire()
    const pending = b.fetch('/api/x')
    await new Promise((r) => setTimeout(r, 20))
    release()
    expect((await pending).status).toBe(200)
    expect(server.calls.refresh).toBe(2)
  })
})

describe('channel and storage faults', () => {
  it('without BroadcastChannel the storage fallback carries messages but never the token or user', () => {
    vi.stubGlobal('BroadcastChannel', undefined)
    const writes: string[] = []
    const storage = { setItem: (_k: string, v: string) => writes.push(v), removeItem: () => {}, getItem: () => null } as unknown as Storage
    const channel = createStorageChannel('app', storage)!
    channel.post({ v: 1, from: 'a', type: 'refreshed', credentials: { version: 2, expiresAt: 3, absoluteExpiresAt: null, accessToken: 'SECRET', user: { email: 'a@b' } } })
    expect(writes).toHaveLength(1)
    expect(writes[0]).not.toContain('SECRET')
    expect(writes[0]).not.toContain('a@b')
    expect(JSON.parse(writes[0]!).m.credentials).toEqual({ version: 2, expiresAt: 3, absoluteExpiresAt: null })
    channel.close()
  })

  it('a closed channel and throwing storage never throw into the app', async () => {
    vi.stubGlobal('BroadcastChannel', undefined)
    const throwing = {
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError')
      },
      removeItem: () => {
        throw new Error('no')
      },
      getItem: () => {
        throw new Error('no')
      },
    } as unknown as Storage
    const channel = createStorageChannel('app', throwing)!
    expect(() => channel.post({ v: 1, from: 'a', type: 'hello' })).not.toThrow()
    channel.close()
    expect(() => channel.post({ v: 1, from: 'a', type: 'hello' })).not.toThrow()
  })

  it('sessionStorage and localStorage throwing on access: return-to degrades to the query parameter', async () => {
    const server = createStubServer()
    vi.spyOn(window, 'sessionStorage', 'get').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError')
    })
    history.replaceState(null, '', '/login?returnTo=%2Fdeep%3Fx%3D1')
    const session = createSession({ credentials: 'bearer', crossTab: false, fetch: server.fetch, use: [returnTo()] })
    sessions.push(session)
    expect(() => session.saveReturnTo('/somewhere')).not.toThrow()
    expect(session.consumeReturnTo('/home')).toBe('/deep?x=1')
    history.replaceState(null, '', '/start')
  })

  it('storage blocked entirely (reading localStorage throws) and no BroadcastChannel: createSession still works', async () => {
    vi.stubGlobal('BroadcastChannel', undefined)
    const blocked = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError')
    }
    vi.spyOn(window, 'localStorage', 'get').mockImplementation(blocked)
    vi.spyOn(window, 'sessionStorage', 'get').mockImplementation(blocked)
    const server = createStubServer()
    let session: Session | undefined
    expect(() => (session = createSession({ credentials: 'bearer', fetch: server.fetch }))).not.toThrow()
    sessions.push(session!)
    await session!.start()
    expect(session!.getState().status).toBe('authenticated')
    await session!.signOut({ reason: 'idle' })
    expect(session!.getState().reason).toBe('idle')
  })

  it('fuzz: random and hostile messages from another tab never throw and never change state', async () => {
    const server = createStubServer()
    const hub = createLocalHub()
    const session = make(server, { crossTab: { channel: hub.channel(), lock: createLocalLock() } })
    await session.start()
    const before = session.getState()
    const attacker = hub.channel()
    const hostile = fc.oneof(
      fc.anything(),
      fc.jsonValue(),
      fc.record({ v: fc.constantFrom(1, 2, '1'), from: fc.string(), type: fc.constantFrom('signedOut', 'refreshed', 'signedIn', 'state', 'activity', '__proto__'), reason: fc.string(), version: fc.oneof(fc.double(), fc.string()), credentials: fc.anything() }),
      fc.constant(JSON.parse('{"v":1,"from":"x","type":"signedIn","credentials":{"version":1e300,"expiresAt":1,"__proto__":{"admin":true}}}')),
      fc.constant({ v: 1, from: 'x', type: 'refreshed', credentials: { version: 1, expiresAt: 1, absoluteExpiresAt: null, accessToken: 'x'.repeat(100_000) } }),
    )
    fc.assert(
      fc.property(hostile, (m) => {
        attacker.post(m)
        return true
      }),
      { numRuns: 300 },
    )
    await new Promise((r) => setTimeout(r, 30))
    expect(session.getState()).toBe(before)
    expect(({} as any).admin).toBeUndefined()
  })
})
