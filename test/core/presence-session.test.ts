// Presence as the session uses it: warning, idle sign-out, absolute expiry, and the
// proactive refresh pausing while the user is away. Fake clock throughout.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSession, idle, returnTo } from '../../src/index.js'
import type { IdleMethods, ReturnToMethods, Session, SessionEvents, SessionOptions } from '../../src/index.js'
import { createStubServer, type StubServer } from '../helpers/stub-server.js'

let sessions: Session[] = []
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  sessionStorage.clear()
})
afterEach(() => {
  sessions.forEach((s) => s.destroy())
  sessions = []
  vi.useRealTimers()
})

async function started(server: StubServer, options: SessionOptions) {
  const session = createSession({ credentials: 'bearer', crossTab: false, fetch: server.fetch, ...options }) as Session & IdleMethods & ReturnToMethods
  sessions.push(session)
  await session.start()
  return session
}
const record = (session: Session) => {
  const seen: Array<[keyof SessionEvents, unknown]> = []
  for (const name of ['warning', 'active', 'idle', 'expiring', 'signedOut', 'refreshed'] as const) session.on(name, (p) => seen.push([name, p]))
  return seen
}
const idleOptions = { timeout: 60_000, warnBefore: 10_000 }
const withIdle = (extra = {}) => [idle({ ...idleOptions, ...extra }), returnTo()]

describe('presence in the session', () => {
  it('warns at idleAt - warnBefore, counts down, then signs out with reason idle and a return URL', async () => {
    history.replaceState(null, '', '/orders/42?tab=items#line-3')
    const server = createStubServer({ expiresIn: 3600 })
    const session = await started(server, { use: withIdle() })
    const seen = record(session)
    const start = Date.now()
    expect(session.getState()).toMatchObject({ presence: 'active', idleAt: start + 60_000, warnAt: start + 50_000 })
    await vi.advanceTimersByTimeAsync(50_000)
    expect(session.getState().presence).toBe('warning')
    expect(seen).toEqual([['warning', { deadline: start + 60_000, reason: 'idle' }]])
    expect(session.getRemainingTime()).toBe(10_000)
    await vi.advanceTimersByTimeAsync(4_000)
    expect(session.getRemainingTime()).toBe(6_000)
    await vi.advanceTimersByTimeAsync(6_000)
    await vi.waitFor(() => expect(session.getState().status).toBe('signedOut'))
    expect(session.getState().reason).toBe('idle')
    expect(seen.map(([n]) => n)).toEqual(['warning', 'idle', 'signedOut'])
    expect(seen[2]![1]).toEqual({ reason: 'idle', fromOtherTab: false, returnTo: '/orders/42?tab=items#line-3' })
    expect(server.calls.logout).toBe(1)
    expect(session.consumeReturnTo()).toBe('/orders/42?tab=items#line-3')
  })

  it('a stray mousemove does not dismiss the warning; stayActive() does', async () => {
    const session = await started(createStubServer({ expiresIn: 3600 }), { use: withIdle() })
    await vi.advanceTimersByTimeAsync(51_000)
    document.dispatchEvent(new Event('pointermove'))
    expect(session.getState().presence).toBe('warning')
    session.stayActive()
    expect(session.getState().presence).toBe('active')
    expect(session.getState().idleAt).toBe(Date.now() + 60_000)
  })

  it('dismissOnActivity: true lets activity dismiss the warning', async () => {
    const session = await started(createStubServer({ expiresIn: 3600 }), { use: withIdle({ dismissOnActivity: true }) })
    await vi.advanceTimersByTimeAsync(51_000)
    document.dispatchEvent(new Event('keydown'))
    expect(session.getState().presence).toBe('active')
  })

  it("onIdle: 'none' only reports, and activity brings the user back", async () => {
    const server = createStubServer({ expiresIn: 3600 })
    const session = await started(server, { use: withIdle({ onIdle: 'none' }) })
    await vi.advanceTimersByTimeAsync(61_000)
    expect(session.getState()).toMatchObject({ status: 'authenticated', presence: 'idle' })
    document.dispatchEvent(new Event('pointerdown'))
    expect(session.getState().presence).toBe('active')
    expect(server.calls.logout).toBe(0)
  })

  it('a tab that slept past the idle deadline signs out the moment it wakes (focus does not rescue it)', async () => {
    const server = createStubServer({ expiresIn: 3600 })
    const session = await started(server, { use: withIdle() })
    vi.setSystemTime(Date.now() + 5 * 60_000) // the laptop slept: no timer ran
    window.dispatchEvent(new Event('focus'))
    await vi.waitFor(() => expect(session.getState().status).toBe('signedOut'))
    expect(session.getState().reason).toBe('idle')
  })

  it('a throttled background tab that wakes inside the warning window warns at once', async () => {
    const session = await started(createStubServer({ expiresIn: 3600 }), { use: withIdle() })
    vi.setSystemTime(Date.now() + 55_000)
    document.dispatchEvent(new Event('visibilitychange'))
    expect(session.getState().presence).toBe('warning')
    expect(session.getRemainingTime()).toBe(5_000)
  })

  it('no proactive refresh while warning or idle; activity after resuming refreshes when due', async () => {
    const server = createStubServer({ expiresIn: 120 })
    const session = await started(server, { use: [idle({ timeout: 100_000, warnBefore: 50_000, onIdle: 'none' })], refreshBefore: 30_000 })
    // Access expires at +120 s, proactive refresh due at +90 s, but warning starts at +50 s.
    await vi.advanceTimersByTimeAsync(95_000)
    expect(server.calls.refresh).toBe(1)
    session.stayActive()
    await vi.advanceTimersByTimeAsync(1)
    expect(server.calls.refresh).toBe(2)
  })

  it('absolute expiry: expiring fires absoluteWarnBefore ahead, stayActive cannot dismiss it, then reason expired', async () => {
    const server = createStubServer({ expiresIn: 3600, result: { absoluteExpiresIn: 600 } })
    const session = await started(server, { use: [idle({ timeout: 3_600_000, absoluteWarnBefore: 60_000 })] })
    const seen = record(session)
    const start = Date.now()
    expect(session.getState().absoluteExpiresAt).toBe(start + 600_000)
    await vi.advanceTimersByTimeAsync(540_000)
    expect(seen).toEqual([['expiring', { deadline: start + 600_000 }]])
    expect(session.getState().warning).toEqual({ deadline: start + 600_000, reason: 'absolute' })
    session.stayActive()
    expect(session.getState().warning).toEqual({ deadline: start + 600_000, reason: 'absolute' })
    await vi.advanceTimersByTimeAsync(60_000)
    await vi.waitFor(() => expect(session.getState().status).toBe('signedOut'))
    expect(session.getState().reason).toBe('expired')
  })

  it('beforeSignOut runs before a forced sign-out; a hanging hook is cut off by its timeout', async () => {
    const server = createStubServer({ expiresIn: 3600 })
    const order: string[] = []
    const session = await started(server, {
      use: withIdle(),
      beforeSignOutTimeout: 2_000,
      beforeSignOut: ({ reason }) => {
        order.push(`hook:${reason}`)
        return new Promise(() => {}) // never settles
      },
    })
    session.on('signedOut', () => order.push('signedOut'))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(order).toEqual(['hook:idle'])
    await vi.advanceTimersByTimeAsync(2_000)
    await vi.waitFor(() => expect(order).toEqual(['hook:idle', 'signedOut']))
  })

  it('a throwing beforeSignOut never blocks the sign-out and is reported', async () => {
    const session = await started(createStubServer({ expiresIn: 3600 }), {
      use: withIdle(),
      beforeSignOut: () => {
        throw new Error('draft save failed')
      },
    })
    const errors: unknown[] = []
    session.on('error', (e) => errors.push(e.during))
    await vi.advanceTimersByTimeAsync(60_000)
    await vi.waitFor(() => expect(session.getState().status).toBe('signedOut'))
    expect(errors).toEqual(['beforeSignOut'])
  })

  it('an explicit logout saves no return URL unless asked', async () => {
    const session = await started(createStubServer(), { use: withIdle() })
    const outs: unknown[] = []
    session.on('signedOut', (e) => outs.push(e))
    await session.signOut()
    expect(outs).toEqual([{ reason: 'logout', fromOtherTab: false, returnTo: null }])
    session.signIn({ expiresIn: 60, accessToken: 'a' })
    history.replaceState(null, '', '/keep?me=1')
    await session.signOut({ saveReturnTo: true })
    expect(outs[1]).toEqual({ reason: 'logout', fromOtherTab: false, returnTo: '/keep?me=1' })
  })

  it('destroy() removes every listener and timer it added', async () => {
    const added: string[] = []
    const removed: string[] = []
    for (const target of [window, document]) {
      const add = target.addEventListener.bind(target)
      const remove = target.removeEventListener.bind(target)
      vi.spyOn(target, 'addEventListener').mockImplementation((type: string, fn: any, o?: any) => (added.push(type), add(type, fn, o)))
      vi.spyOn(target, 'removeEventListener').mockImplementation((type: string, fn: any, o?: any) => (removed.push(type), remove(type, fn, o)))
    }
    const session = await started(createStubServer(), { use: withIdle({ absoluteWarnBefore: 1000 }) })
    expect(added.length).toBeGreaterThan(8)
    expect(vi.getTimerCount()).toBeGreaterThan(0)
    session.destroy()
    expect(removed.sort()).toEqual(added.sort())
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a storm of 1000 pointermove events arms no timer', async () => {
    const timers = { setTimeout: vi.fn((fn: () => void, ms: number) => setTimeout(fn, ms)), clearTimeout: (id: any) => clearTimeout(id) }
    const session = await started(createStubServer({ expiresIn: 3600 }), { use: withIdle(), timers })
    const before = timers.setTimeout.mock.calls.length
    for (let i = 0; i < 1000; i++) {
      vi.setSystemTime(Date.now() + 1)
      document.dispatchEvent(new Event('pointermove'))
    }
    expect(timers.setTimeout.mock.calls.length).toBe(before)
    expect(session.getState().presence).toBe('active')
  })

  it('idle options are validated with errors naming the option', () => {
    expect(() => idle({ timeout: 1000, warnBefore: 1000 })).toThrow(/idle.warnBefore/)
    expect(() => idle({ timeout: -1 })).toThrow(/idle.timeout/)
    expect(() => idle({ timeout: Infinity })).toThrow(/idle.timeout/)
    expect(() => idle({ timeout: 1000, events: ['keydown', 'hover'] })).toThrow(/idle.events\[1\]/)
    expect(() => idle({ timeout: 1000, onIdle: 'logout' as any })).toThrow(/idle.onIdle/)
    expect(() => idle({ timeout: 1000, target: {} as any })).toThrow(/idle.target/)
    // The option of earlier versions points to the part in development builds.
    expect(() => createSession({ idle: { timeout: 1000 } } as any)).toThrow(/use: \[idle\(/)
    expect(() => idle(5 as any)).toThrow(/`idle`/)
  })
})
