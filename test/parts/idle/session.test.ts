// The idle part inside a session, where the tracker meets the session's status changes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSession, idle } from '../../../src/index.js'
import type { IdleMethods, Session } from '../../../src/index.js'
import { createLocalHub, createLocalLock } from '../../helpers/tabs.js'

type Idle = Session & IdleMethods
let sessions: Session[] = []
beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }))
afterEach(() => {
  sessions.forEach((s) => s.destroy())
  sessions = []
  vi.useRealTimers()
})

const fetch = async () => new Response(null, { status: 204 })
const refresh = async () => ({ expiresIn: 3600 })

describe('idle part in a session', () => {
  it('a sign-out called off (another tab refreshed while beforeSignOut ran) starts a fresh idle period, not a stuck `idle`', async () => {
    const hub = createLocalHub()
    const lock = createLocalLock()
    const crossTab = () => ({ channel: hub.channel(), lock })
    const beforeSignOut = () => new Promise<void>((r) => setTimeout(r, 2_000))
    const a = createSession({ refresh, fetch, crossTab: crossTab(), beforeSignOut, use: [idle({ timeout: 60_000, warnBefore: 10_000 })] }) as Idle
    const b = createSession({ refresh, fetch, crossTab: crossTab() })
    sessions.push(a, b)
    await a.start()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(a.getState()).toMatchObject({ status: 'signingOut', presence: 'idle' })
    // A tab opened meanwhile (a's marker gives it the session), and refreshes: a adopts the result.
    const started = b.start()
    await vi.advanceTimersByTimeAsync(400)
    await started
    await b.refresh()
    await vi.advanceTimersByTimeAsync(10)
    expect(a.getState().status).toBe('authenticated')
    await vi.advanceTimersByTimeAsync(3_000)
    expect(a.getState()).toMatchObject({ status: 'authenticated', presence: 'active', warning: null })
    const now = Date.now()
    expect(a.getState().idleAt).toBeGreaterThan(now)
    expect(a.getRemainingTime()).toBeGreaterThan(50_000)
    // And the new period runs as any other: activity counts again.
    document.dispatchEvent(new Event('keydown'))
    expect(a.getRemainingTime()).toBe(60_000)
  })
})
