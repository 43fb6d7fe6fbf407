// The diagnostics part: a bounded timeline of this tab's decisions (refresh and why, lock
// waits, messages by type, results used, backoff, sign-out), and never a secret in it.
import { describe, expect, it, vi } from 'vitest'
import { createSession, diagnostics, OptionError, SessionEndedError } from '../../src/index.js'
import type { DiagnosticsMethods, Session, SessionOptions, TimelineEntry } from '../../src/index.js'
import { createStubServer, type StubServer } from '../helpers/stub-server.js'
import { createLocalHub, createLocalLock } from '../helpers/tabs.js'
import { track } from '../helpers/sessions.js'

type Diag = Session & DiagnosticsMethods
const fakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })

function make(options: SessionOptions & { size?: number } = {}): Diag {
  const { size, ...rest } = options
  const session = createSession({ crossTab: false, ...rest, use: [diagnostics(size ? { size } : {})] }) as Diag
  track(session)
  return session
}
const whats = (s: Diag) => s.timeline().map((e) => e.what)
const refreshWhys = (s: Diag) => s.timeline().filter((e) => e.what === 'refresh').map((e) => e.why)

describe('diagnostics: the timeline', () => {
  it('keeps at most `size` entries, the newest, oldest first; onTimeline sees every entry as it comes', async () => {
    const server = createStubServer()
    const session = make({ credentials: 'bearer', fetch: server.fetch, size: 5 })
    const live: TimelineEntry[] = []
    const off = session.onTimeline((e) => live.push(e))
    await session.start()
    for (let i = 0; i < 6; i++) await session.refresh()
    // 7 refreshes, each a `refresh` and a `refreshed` entry: 14 in all, 5 kept.
    expect(live).toHaveLength(14)
    const kept = session.timeline()
    expect(kept).toHaveLength(5)
    expect(kept).toEqual(live.slice(-5))
    expect(live.map((e) => e.what)).toEqual(Array(7).fill(['refresh', 'refreshed']).flat())
    expect(live.slice(0, 2).map((e) => e.why ?? e.source)).toEqual(['start', 'self'])
    // Entries carry the session's clock and one short tab id.
    for (let i = 1; i < live.length; i++) expect(live[i]!.at).toBeGreaterThanOrEqual(live[i - 1]!.at)
    expect(new Set(live.map((e) => e.tab)).size).toBe(1)
    expect(live[0]!.tab).toMatch(/^[a-z0-9]{1,12}$/)
    // timeline() is a copy; an unsubscribed listener hears nothing more.
    kept.length = 0
    expect(session.timeline()).toHaveLength(5)
    off()
    await session.refresh()
    expect(live).toHaveLength(14)
    expect(session.timeline()).toHaveLength(5)
  })

  it('uses the session clock (now option) for `at`', async () => {
    let clock = 1_000_000
    const session = make({ refresh: async () => ({ expiresIn: 300 }), now: () => clock })
    await session.start()
    clock += 5_000
    await session.refresh()
    expect(session.timeline().map((e) => [e.what, e.at])).toEqual([
      ['refresh', 1_000_000],
      ['refreshed', 1_000_000],
      ['refresh', 1_005_000],
      ['refreshed', 1_005_000],
    ])
  })
})

describe('diagnostics: why a refresh started', () => {
  it("'start', 'manual' and '401'", async () => {
    const server = createStubServer()
    const session = make({ credentials: 'bearer', fetch: server.fetch })
    await session.start()
    await session.refresh()
    server.expire()
    expect((await session.fetch('/api/me')).status).toBe(200)
    expect(refreshWhys(session)).toEqual(['start', 'manual', '401'])
  })

  it("'proactive' (fake clock), and 'retry' after a transient failure, with a `backoff` entry naming retryAt", async () => {
    fakeClock()
    const server = createStubServer({ expiresIn: 300 })
    const session = make({ credentials: 'bearer', fetch: server.fetch, refreshBefore: 60_000, retry: { base: 1_000, max: 1_000 } })
    await session.start()
    server.refreshAnswers.push(503)
    await vi.advanceTimersByTimeAsync(240_000) // 60 s before expiry: proactive, answered 503
    const backoff = session.timeline().find((e) => e.what === 'backoff')!
    expect(backoff).toMatchObject({ what: 'backoff', retryAt: expect.any(Number) })
    expect(backoff.retryAt as number).toBeGreaterThan(backoff.at)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(refreshWhys(session)).toEqual(['start', 'proactive', 'retry'])
    expect(whats(session)).toEqual(['refresh', 'refreshed', 'refresh', 'backoff', 'refresh', 'refreshed'])
  })

  it("'wake': a deadline that passed while timers slept, noticed on focus", async () => {
    let clock = 1_000_000
    const server = createStubServer({ expiresIn: 300 })
    const session = make({ credentials: 'bearer', fetch: server.fetch, now: () => clock })
    await session.start()
    clock += 3_600_000 // the machine slept: no timer fired
    window.dispatchEvent(new Event('focus'))
    await vi.waitFor(() => expect(refreshWhys(session)).toEqual(['start', 'wake']))
  })

  it("'online': back online retries a refresh that failed for network reasons at once", async () => {
    const server = createStubServer()
    const session = make({ credentials: 'bearer', fetch: server.fetch, retry: { base: 60_000, max: 60_000 } })
    await session.start()
    server.refreshAnswers.push('network')
    expect(await session.refresh()).toBe(false)
    window.dispatchEvent(new Event('online'))
    await vi.waitFor(() => expect(refreshWhys(session)).toEqual(['start', 'manual', 'online']))
    await vi.waitFor(() => expect(whats(session).at(-1)).toBe('refreshed'))
  })

  it('a rejected refresh and the sign-out it causes: refreshRejected, then signedOut with the reason', async () => {
    let calls = 0
    const session = make({
      refresh: async () => {
        if (++calls === 2) throw new SessionEndedError(401, 'revoked')
        return { expiresIn: 300 }
      },
      fetch: async () => new Response(null, { status: 204 }),
    })
    await session.start()
    await session.refresh()
    await vi.waitFor(() => expect(session.getState().status).toBe('signedOut'))
    expect(session.timeline().slice(2).map(({ at, tab, ...rest }) => rest)).toEqual([
      { what: 'refresh', why: 'manual' },
      { what: 'refreshRejected', retryAt: null },
      { what: 'signedOut', reason: 'revoked', fromOtherTab: false },
    ])
  })
})

describe('diagnostics across tabs', () => {
  function tabsOf(n: number, server: StubServer, options: SessionOptions = {}, hub = createLocalHub(), lock = createLocalLock()) {
    const tabs = Array.from({ length: n }, () => make({ credentials: 'bearer', fetch: server.fetch, crossTab: { channel: hub.channel(), lock }, ...options }))
    return { tabs, hub, lock }
  }

  it('records messages sent and received by type and sender only, lockGranted with waitedMs, and where a result came from', async () => {
    const server = createStubServer()
    const { tabs } = tabsOf(2, server)
    await tabs[0]!.start()
    await tabs[1]!.start()
    await tabs[0]!.refresh()
    await vi.waitFor(() => expect(tabs[1]!.getState().version).toBe(tabs[0]!.getState().version))
    await tabs[0]!.signOut()
    await vi.waitFor(() => expect(tabs[1]!.getState().status).toBe('signedOut'))
    const [a, b] = tabs.map((t) => t.timeline())
    const granted = a!.find((e) => e.what === 'lockGranted')!
    expect(granted).toMatchObject({ lock: 'session-continuity:refresh', waitedMs: expect.any(Number) })
    expect(granted.waitedMs).toBeGreaterThanOrEqual(0)
    expect(a!.filter((e) => e.what === 'sent').map((e) => e.type)).toEqual(expect.arrayContaining(['refreshing', 'refreshed', 'signedOut']))
    expect(b!.filter((e) => e.what === 'received').map((e) => e.type)).toEqual(expect.arrayContaining(['refreshing', 'refreshed', 'signedOut']))
    expect(b!.filter((e) => e.what === 'refreshed').map((e) => e.source)).toContain('otherTab')
    expect(b!.filter((e) => e.what === 'refresh')).toEqual([]) // tab b never refreshed itself
    expect(b!.find((e) => e.what === 'signedOut')).toMatchObject({ reason: 'logout', fromOtherTab: true })
    // A message entry is its type and its sender's id: never a field of the message itself.
    for (const e of [...a!, ...b!].filter((e) => e.what === 'sent' || e.what === 'received'))
      expect(Object.keys(e).sort()).toEqual(['at', 'from', 'tab', 'type', 'what'])
    // Each tab's timeline has its own tab id, and it is the sender id the other tab records:
    // merged timelines match a message to the tab that sent it.
    expect(new Set(a!.map((e) => e.tab)).size).toBe(1)
    expect(a![0]!.tab).not.toBe(b![0]!.tab)
    expect(new Set(b!.filter((e) => e.what === 'received').map((e) => e.from))).toEqual(new Set([a![0]!.tab]))
    expect(new Set(a!.filter((e) => e.what === 'received').map((e) => e.from))).toEqual(new Set([b![0]!.tab]))
  })

  it('cuts the type and sender of a received message short: it is recorded before it is validated', async () => {
    const hub = createLocalHub()
    const session = make({ crossTab: { channel: hub.channel(), lock: createLocalLock() }, refresh: async () => ({ expiresIn: 300 }) })
    hub.channel().post({ v: 1, type: 'x'.repeat(100_000), from: 'y'.repeat(100_000) })
    await vi.waitFor(() => expect(session.timeline().some((e) => e.what === 'received')).toBe(true))
    const entry = session.timeline().find((e) => e.what === 'received')!
    expect(entry).toMatchObject({ type: 'x'.repeat(40), from: 'y'.repeat(64) })
    expect(session.getState().status).toBe('unknown') // and the session ignored the message
  })

  it('never records an access token, a refresh token or user data (bearer, rotating refresh token, a user)', async () => {
    let n = 0
    const user = { id: 'USER-ID-7f3a', name: 'Grace Hopper-Secretname', email: 'grace@secret.example' }
    const refresh: SessionOptions['refresh'] = async ({ refreshToken }) => {
      n++
      if (n > 1 && refreshToken !== `RT-SECRET-${n - 1}`) throw new SessionEndedError(401, 'revoked')
      return { expiresIn: 300, accessToken: `AT-SECRET-${n}`, refreshToken: `RT-SECRET-${n}`, user }
    }
    const hub = createLocalHub()
    const lock = createLocalLock()
    const fetch = async () => new Response(null, { status: 401 })
    const make2 = () => make({ credentials: 'bearer', refresh, fetch, crossTab: { channel: hub.channel(), lock } })
    const tabs = [make2(), make2()]
    const live: TimelineEntry[] = []
    tabs.forEach((t) => t.onTimeline((e) => live.push(e)))
    await tabs[0]!.start()
    await tabs[1]!.start()
    await tabs[1]!.refresh() // tab b presents the refresh token tab a got
    await vi.waitFor(() => expect(tabs[0]!.getState().version).toBe(tabs[1]!.getState().version))
    await tabs[0]!.fetch('/api/me') // a 401: refresh (with the token tab b got) and replay
    const late = make2() // a new tab is told the credentials over the channel
    await late.start()
    expect(late.getState().status).toBe('authenticated')
    // An attacker's message full of secrets: only its type and sender are recorded.
    hub.channel().post({ v: 1, type: 'refreshed', from: 'evil', credentials: { version: 1, expiresAt: 1, absoluteExpiresAt: null, accessToken: 'AT-SECRET-evil', user } })
    await tabs[0]!.signOut()
    await vi.waitFor(() => expect([...tabs, late].map((t) => t.getState().status)).toEqual(['signedOut', 'signedOut', 'signedOut']))
    expect(n).toBe(3) // start, tab b's refresh, the 401's
    expect(tabs[0]!.timeline().some((e) => e.what === 'received' && e.from === 'evil')).toBe(true)
    const entries = [...[...tabs, late].flatMap((t) => t.timeline()), ...live]
    const all = JSON.stringify(entries)
    expect(all.length).toBeGreaterThan(1_000)
    for (const secret of ['AT-SECRET', 'RT-SECRET', 'USER-ID', 'Secretname', 'grace', 'secret.example', 'Grace']) expect(all).not.toContain(secret)
    // And no entry carries an object: details are plain strings, numbers, booleans or null.
    for (const e of entries) for (const v of Object.values(e)) expect(v === null || ['string', 'number', 'boolean'].includes(typeof v)).toBe(true)
  })

  it('markerUsed: a tab granted the lock after another refreshed takes the deadlines from the marker (cookie mode, slow channel)', async () => {
    fakeClock()
    const server = createStubServer()
    const { tabs } = tabsOf(2, server, { credentials: 'cookie' }, createLocalHub({ delay: 1_000 }))
    const started = Promise.all(tabs.map((t) => t.start()))
    await vi.advanceTimersByTimeAsync(1_000)
    await started
    await vi.advanceTimersByTimeAsync(2_000)
    const both = Promise.all(tabs.map((t) => t.refresh()))
    await vi.advanceTimersByTimeAsync(600)
    expect(await both).toEqual([true, true])
    // (A tab that started while the broadcast was late may have used a marker then too.)
    const sinceManual = (t: Diag) => t.timeline().slice(t.timeline().findIndex((e) => e.why === 'manual'))
    const used = tabs.map((t) => sinceManual(t).filter((e) => e.what === 'markerUsed'))
    expect(used.map((u) => u.length).sort()).toEqual([0, 1])
    const user = tabs[used[0]!.length ? 0 : 1]!
    const other = tabs[used[0]!.length ? 1 : 0]!
    expect(used.flat()[0]).toMatchObject({ version: other.getState().version })
    // The marker user's entries: its refresh started, it was granted the lock, then the marker.
    const mine = sinceManual(user).map((e) => e.what)
    const start = 0
    expect(mine.slice(start)).toEqual(expect.arrayContaining(['refresh', 'lockGranted', 'markerUsed']))
    expect(mine.indexOf('lockGranted', start)).toBeLessThan(mine.indexOf('markerUsed', start))
  })

  it('lockTimeout: a refresh lock held by a frozen tab is recorded with how long it waited, then the refresh goes on', async () => {
    fakeClock()
    const server = createStubServer()
    const { tabs, lock } = tabsOf(1, server, { lockTimeout: 2_000 })
    const started = tabs[0]!.start()
    await vi.advanceTimersByTimeAsync(1_000)
    await started
    lock.hang('session-continuity:refresh')
    const refreshed = tabs[0]!.refresh()
    await vi.advanceTimersByTimeAsync(2_000)
    expect(await refreshed).toBe(true)
    const entries = tabs[0]!.timeline().map(({ at, tab, from, ...rest }) => rest)
    const i = entries.findIndex((e) => e.what === 'lockTimeout')
    expect(entries[i]).toEqual({ what: 'lockTimeout', lock: 'session-continuity:refresh', waitedMs: 2_000 })
    expect(entries.slice(i + 1).map((e) => e.what)).toContain('refreshed')
  })

  it('resumed: a page restored from the back-forward cache re-checks and records it', async () => {
    const server = createStubServer()
    const { tabs } = tabsOf(2, server)
    await tabs[0]!.start()
    await tabs[1]!.start()
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }))
    await vi.waitFor(() => expect(tabs.every((t) => t.timeline().some((e) => e.what === 'resumed'))).toBe(true))
    expect(tabs[0]!.timeline().find((e) => e.what === 'resumed')).toMatchObject({ status: 'authenticated' })
    expect(tabs[0]!.timeline().filter((e) => e.what === 'sent').map((e) => e.type)).toContain('hello')
  })
})

describe('diagnostics options', () => {
  it.each([
    [{ size: 'x' }, /diagnostics\.size/],
    [{ size: 0 }, /diagnostics\.size/],
    [{ size: 1.5 }, /diagnostics\.size/],
    [{ sise: 10 }, /diagnostics\.sise/],
  ])('%o is an OptionError naming the option', (options, message) => {
    expect(() => diagnostics(options as never)).toThrow(OptionError)
    expect(() => diagnostics(options as never)).toThrow(message)
  })
})
