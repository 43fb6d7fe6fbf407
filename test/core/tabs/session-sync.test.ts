// Several sessions in one process, sharing an in-process channel hub and lock: the
// cross-tab rules at unit speed (real browsers cover the same in e2e/tabs.spec.ts).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSession, idle } from '../../../src/index.js'
import type { IdleMethods, Session, SessionOptions } from '../../../src/index.js'
import { createStubServer, type StubServer } from '../../helpers/stub-server.js'
import { createLocalHub, createLocalLock } from '../../helpers/tabs.js'

let sessions: Session[] = []
afterEach(() => {
  sessions.forEach((s) => s.destroy())
  sessions = []
  vi.useRealTimers()
})

function tabsOf(n: number, server: StubServer, options: SessionOptions = {}, hub = createLocalHub(), lock = createLocalLock()) {
  const make = () => {
    const s = createSession({ credentials: 'bearer', fetch: server.fetch, crossTab: { channel: hub.channel(), lock }, ...options })
    sessions.push(s)
    return s
  }
  return { tabs: Array.from({ length: n }, make), make, hub, lock }
}

/** Under fake timers, start() waits on timers (hello replies): advance them meanwhile. */
async function startAll(tabs: Session[]) {
  const started = Promise.all(tabs.map((t) => t.start()))
  await vi.advanceTimersByTimeAsync(1_000)
  await started
}

const settle = () => new Promise((r) => setTimeout(r, 20))

describe('sessions across tabs', () => {
  it('5 tabs opened at once against an existing session cause one refresh', async () => {
    const server = createStubServer()
    const { tabs } = tabsOf(5, server)
    await Promise.all(tabs.map((t) => t.start()))
    expect(server.calls.refresh).toBe(1)
    expect(tabs.map((t) => t.getState().status)).toEqual(Array(5).fill('authenticated'))
    for (const t of tabs) expect((await t.fetch('/api/me')).status).toBe(200)
  })

  it('a new tab learns the session from a live tab (hello, answered with refreshed) without refreshing', async () => {
    const server = createStubServer()
    const { tabs, make } = tabsOf(1, server)
    await tabs[0]!.start()
    const late = make()
    await late.start()
    expect(server.calls.refresh).toBe(1)
    expect(late.getState()).toMatchObject({ status: 'authenticated', version: tabs[0]!.getState().version })
    expect((await late.fetch('/api/me')).status).toBe(200)
  })

  it('5 tabs × 20 concurrent expired-token requests: exactly one refresh, all 100 succeed', async () => {
    const server = createStubServer()
    const { tabs } = tabsOf(5, server)
    await Promise.all(tabs.map((t) => t.start()))
    server.expire()
    const all = await Promise.all(tabs.flatMap((t) => Array.from({ length: 20 }, (_, i) => t.fetch(`/api/x/${i}`))))
    expect(all.filter((r) => r.status === 200)).toHaveLength(100)
    expect(server.calls.refresh).toBe(2)
  })

  it('keeps one refresh even when the channel is slower than the lock (marker locks)', async () => {
    const server = createStubServer()
    const { tabs } = tabsOf(3, server, {}, createLocalHub({ delay: 200 }))
    await tabs[0]!.start()
    await Promise.all(tabs.slice(1).map((t) => t.start()))
    const before = server.calls.refresh
    server.expire()
    const all = await Promise.all(tabs.map((t) => t.fetch('/api/me')))
    expect(all.map((r) => r.status)).toEqual([200, 200, 200])
    expect(server.calls.refresh - before).toBe(1)
  })

  it('cookie mode: when the broadcast is late, the next lock holder takes the deadlines from the marker instead of refreshing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const server = createStubServer()
    const { tabs } = tabsOf(2, server, { credentials: 'cookie' }, createLocalHub({ delay: 1_000 }))
    await startAll(tabs)
    await vi.advanceTimersByTimeAsync(2_000) // every broadcast delivered: both tabs hold one version
    expect(tabs[1]!.getState().version).toBe(tabs[0]!.getState().version)
    const before = server.calls.refresh
    const seen: string[] = []
    tabs.forEach((t, i) => t.on('refreshed', (e) => seen.push(`${i}:${e.source}`)))
    // Both want a refresh at once: one holds the lock and refreshes; the other is granted it
    // next, sees the newer marker, waits 500 ms for a broadcast that takes 1 s, and adopts it.
    const both = Promise.all(tabs.map((t) => t.refresh()))
    await vi.advanceTimersByTimeAsync(600)
    expect(await both).toEqual([true, true])
    expect(server.calls.refresh - before).toBe(1)
    expect(seen.map((e) => e.split(':')[1]).sort()).toEqual(['otherTab', 'self']) // one refreshed, the other adopted
    expect(new Set(seen.map((e) => e[0])).size).toBe(2)
    const [a, b] = tabs.map((t) => t.getState())
    expect(b!.version).toBe(a!.version)
    expect(b!.expiresAt).toBe(a!.expiresAt)
  })

  it('cookie mode never holds or broadcasts an access token, even when the server sends one', async () => {
    const hub = createLocalHub()
    const seen: unknown[] = []
    hub.channel().subscribe((m) => seen.push(m))
    const session = createSession({
      crossTab: { channel: hub.channel(), lock: createLocalLock() },
      refresh: async () => ({ expiresIn: 300, accessToken: 'LEAKED-TOKEN', user: { id: 'u1' } }),
    })
    sessions.push(session)
    await session.start()
    await session.refresh()
    await settle()
    expect(seen.some((m) => (m as { type: string }).type == 'refreshed')).toBe(true)
    expect(JSON.stringify(seen)).not.toContain('LEAKED-TOKEN')
    expect(session.authorizationFor('/api')).toBeNull()
  })

  it('logout in one tab signs out every tab with the true reason (fromOtherTab tells them apart); one server logout', async () => {
    const server = createStubServer()
    const { tabs } = tabsOf(3, server)
    await Promise.all(tabs.map((t) => t.start()))
    const outs: unknown[] = []
    tabs.forEach((t) => t.on('signedOut', (e) => outs.push(e)))
    await tabs[0]!.signOut()
    await vi.waitFor(() => expect(tabs.map((t) => t.getState().reason)).toEqual(['logout', 'logout', 'logout']))
    expect(tabs.map((t) => t.getState().fromOtherTab)).toEqual([false, true, true])
    expect(outs).toEqual([{ reason: 'logout', fromOtherTab: false, returnTo: null }, ...Array(2).fill({ reason: 'logout', fromOtherTab: true, returnTo: null })])
    expect(tabs.every((t) => t.getState().status === 'signedOut')).toBe(true)
    expect(server.calls.logout).toBe(1)
  })

  it('sign-in in one tab resumes the others, even a freshly loaded login page', async () => {
    const server = createStubServer()
    const { tabs, make } = tabsOf(2, server)
    await Promise.all(tabs.map((t) => t.start()))
    await tabs[0]!.signOut()
    await vi.waitFor(() => expect(tabs[1]!.getState().status).toBe('signedOut'))
    const loginPage = make() // a new page: version 0, never started
    const resumed: unknown[] = []
    tabs[1]!.on('signedIn', (e) => resumed.push(e))
    loginPage.signIn({ expiresIn: 300, accessToken: server.token, user: { id: 'u1' } })
    await vi.waitFor(() => expect(tabs.map((t) => t.getState().status)).toEqual(['authenticated', 'authenticated']))
    expect(resumed).toEqual([{ user: { id: 'u1' }, userChanged: false, source: 'otherTab' }])
    expect((await tabs[1]!.fetch('/api/me')).status).toBe(200)
  })

  it('a revoked session (refresh-token reuse) signs every tab out with reason revoked, once', async () => {
    const server = createStubServer()
    const { tabs } = tabsOf(3, server)
    await Promise.all(tabs.map((t) => t.start()))
    const outs = tabs.map((t) => {
      const seen: string[] = []
      t.on('signedOut', (e) => seen.push(e.reason))
      return seen
    })
    server.refreshAnswers.push({ status: 401, body: '{"error":"token_reused","reason":"revoked"}' })
    await tabs[1]!.refresh()
    await vi.waitFor(() => expect(outs).toEqual([['revoked'], ['revoked'], ['revoked']]))
  })

  it('messages that are malformed, foreign or hostile never change state', async () => {
    const server = createStubServer()
    const hub = createLocalHub()
    const { tabs } = tabsOf(1, server, {}, hub)
    await tabs[0]!.start()
    const before = tabs[0]!.getState()
    const attacker = hub.channel()
    for (const m of [
      null,
      'signedOut',
      { v: 2, type: 'signedOut', from: 'x', reason: 'logout', version: 1e15 },
      { v: 1, type: 'signedOut', from: 'x', reason: 'hacked', version: 1e15 },
      { v: 1, type: 'refreshed', from: 'x', credentials: { version: 'big', expiresAt: 1 } },
      JSON.parse('{"v":1,"type":"activity","from":"x","at":1,"__proto__":{"polluted":true}}'),
    ])
      attacker.post(m)
    await settle()
    expect(tabs[0]!.getState()).toBe(before)
    expect(({} as any).polluted).toBeUndefined()
  })

  it("shows another tab's refresh in `refreshing`, and forgets a tab that closed mid-refresh", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const server = createStubServer()
    const hub = createLocalHub()
    const { tabs } = tabsOf(1, server, { refreshTimeout: 1_000 }, hub)
    await startAll(tabs)
    const other = hub.channel()
    other.post({ v: 1, from: 'tab-b', type: 'refreshing', active: true })
    await vi.advanceTimersByTimeAsync(1)
    expect(tabs[0]!.getState().refreshing).toBe(true)
    await vi.advanceTimersByTimeAsync(2_000) // tab b never says it stopped
    expect(tabs[0]!.getState().refreshing).toBe(false)
  })

  describe('presence across tabs (fake clock)', () => {
    const idleOptions = { timeout: 60_000, warnBefore: 10_000 }

    it('activity in one tab keeps another from warning; the warning then shows in all together', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
      const server = createStubServer({ expiresIn: 3600 })
      const hub = createLocalHub()
      const lock = createLocalLock()
      // Each "tab" listens on its own target: happy-dom has one document for all of them.
      const targets = [new EventTarget(), new EventTarget()]
      const tabs = targets.map((target) => {
        const s: Session & IdleMethods = createSession({ credentials: 'bearer', fetch: server.fetch, crossTab: { channel: hub.channel(), lock }, use: [idle({ ...idleOptions, target })] })
        sessions.push(s)
        return s
      })
      await startAll(tabs)
      await vi.advanceTimersByTimeAsync(40_000)
      targets[1]!.dispatchEvent(new Event('keydown')) // activity in tab 2 only
      await vi.advanceTimersByTimeAsync(15_000) // 55 s after start, 15 s after the activity
      expect(tabs.map((t) => t.getState().presence)).toEqual(['active', 'active'])
      await vi.advanceTimersByTimeAsync(36_000) // 51 s after the activity: warning window
      expect(tabs.map((t) => t.getState().presence)).toEqual(['warning', 'warning'])
      expect(tabs[0]!.getState().warning!.deadline).toBe(tabs[1]!.getState().warning!.deadline)
      tabs[1]!.stayActive()
      await vi.advanceTimersByTimeAsync(10)
      expect(tabs.map((t) => t.getState().presence)).toEqual(['active', 'active'])
    })

    it('remote activity alone (no local events) keeps a tab active', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
      const server = createStubServer({ expiresIn: 3600 })
      const hub = createLocalHub()
      const { tabs } = tabsOf(1, server, { use: [idle(idleOptions)] }, hub)
      await startAll(tabs)
      const other = hub.channel()
      for (let i = 0; i < 5; i++) {
        await vi.advanceTimersByTimeAsync(30_000)
        other.post({ v: 1, type: 'activity', from: 'tab-b', at: Date.now() })
        await vi.advanceTimersByTimeAsync(1)
      }
      expect(tabs[0]!.getState().presence).toBe('active')
      expect(tabs[0]!.getState().status).toBe('authenticated')
    })

    it('activity dated in the future (clock skew, a forged message) counts as now, not as later', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
      const server = createStubServer({ expiresIn: 3600 })
      const hub = createLocalHub()
      const { tabs } = tabsOf(1, server, { use: [idle(idleOptions)] }, hub)
      await startAll(tabs)
      hub.channel().post({ v: 1, type: 'activity', from: 'tab-b', at: Date.now() + 365 * 86_400_000 })
      await vi.advanceTimersByTimeAsync(61_000)
      await vi.waitFor(() => expect(tabs[0]!.getState()).toMatchObject({ status: 'signedOut', reason: 'idle' }))
    })

    it('idle sign-out happens once for the whole origin', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
      const server = createStubServer({ expiresIn: 3600 })
      const { tabs } = tabsOf(3, server, { use: [idle(idleOptions)] })
      await startAll(tabs)
      await vi.advanceTimersByTimeAsync(61_000)
      await vi.waitFor(() => expect(tabs.every((t) => t.getState().status === 'signedOut')).toBe(true))
      // Every tab reports the true reason; exactly one of them ended it.
      expect(tabs.map((t) => t.getState().reason)).toEqual(['idle', 'idle', 'idle'])
      expect(tabs.filter((t) => t.getState().fromOtherTab)).toHaveLength(2)
      expect(server.calls.logout).toBe(1)
    })
  })
})
