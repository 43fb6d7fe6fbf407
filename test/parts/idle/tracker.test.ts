import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { normalizeIdle } from '../../../src/parts/idle/options.js'
import { createPresenceTracker } from '../../../src/parts/idle/tracker.js'

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }))
afterEach(() => vi.useRealTimers())

function tracker(idle: ReturnType<typeof normalizeIdle> | null = normalizeIdle({ timeout: 60_000, warnBefore: 10_000, target: new EventTarget() }), absoluteWarnBefore = 5_000) {
  const events: Array<[string, unknown]> = []
  const t = createPresenceTracker(idle, absoluteWarnBefore, {
    now: () => Date.now(),
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id) },
    onChange: () => {},
    onEvent: (name, payload) => events.push([name, payload]),
  })
  return { t, events }
}

describe('presence tracker', () => {
  it('arms no timer while nothing is due (idle off, no absolute expiry)', () => {
    const { t } = tracker(null)
    t.start()
    expect(vi.getTimerCount()).toBe(0)
    expect(t.remaining()).toBe(Infinity)
    t.setAbsoluteExpiry(Date.now() + 60_000)
    expect(vi.getTimerCount()).toBe(1)
    t.stop()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('keeps exactly one timer, moving to the nearest instant', () => {
    const { t } = tracker()
    t.start()
    t.setAbsoluteExpiry(Date.now() + 30_000)
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(25_000) // expiring fires; next: absolute expiry at 30 s
    expect(vi.getTimerCount()).toBe(1)
  })

  it('activity extends by moving a timestamp; the timer re-arms only when it fires', () => {
    const { t, events } = tracker()
    t.start()
    vi.advanceTimersByTime(40_000)
    t.activity(Date.now())
    vi.advanceTimersByTime(10_000) // the original warning instant: re-armed, nothing fires
    expect(events).toEqual([])
    vi.advanceTimersByTime(40_000) // 50 s after the activity
    expect(events.map(([n]) => n)).toEqual(['warning'])
  })

  it('remote activity older than what it has is ignored; newer counts', () => {
    const { t } = tracker()
    t.start()
    const start = Date.now()
    t.activity(start - 5_000)
    expect(t.lastActivity()).toBe(start)
    t.activity(start + 1)
    expect(t.lastActivity()).toBe(start + 1)
  })

  it('stop() then start() begins a fresh period', () => {
    const { t, events } = tracker()
    t.start()
    vi.advanceTimersByTime(55_000)
    expect(t.snapshot().presence).toBe('warning')
    t.stop()
    expect(t.snapshot()).toEqual({ presence: 'active', idleAt: null, warnAt: null, warning: null })
    t.start()
    expect(t.snapshot().presence).toBe('active')
    expect(events.map(([n]) => n)).toEqual(['warning'])
  })

  it('activity from another tab dated before the warning, arriving after it showed, counts (as in the tab it came from)', () => {
    const { t, events } = tracker()
    t.start()
    const start = Date.now()
    vi.advanceTimersByTime(50_005) // the warning shows at 50 s
    expect(t.snapshot().presence).toBe('warning')
    t.activity(start + 49_990) // the other tab's user moved at 49.99 s; the message took 15 ms
    expect(t.snapshot().presence).toBe('active')
    expect(t.lastActivity()).toBe(start + 49_990)
    expect(events.map(([n]) => n)).toEqual(['warning', 'active'])
    // Activity dated after the warning showed still does not dismiss it (only stayActive does).
    vi.advanceTimersByTime(50_000)
    expect(t.snapshot().presence).toBe('warning')
    t.activity(Date.now() - 1)
    expect(t.snapshot().presence).toBe('warning')
  })

  it("another tab's stayActive() dated before the idle deadline rescues a tab whose timer ran late; one dated after it does not", () => {
    const ended: string[] = []
    const make = () =>
      createPresenceTracker(normalizeIdle({ timeout: 60_000, warnBefore: 10_000, target: new EventTarget() }), 5_000, {
        now: () => Date.now(),
        timers: { setTimeout: () => 0, clearTimeout: () => {} }, // a frozen tab: its timers do not run
        onChange: () => {},
        onEvent: () => {},
        onEnd: (reason) => void ended.push(reason),
      })
    const t = make()
    t.start()
    const start = Date.now()
    vi.setSystemTime(start + 61_000) // woken (or the message delivered) after the deadline
    t.stayActive(start + 58_000) // "Stay signed in" was pressed in the other tab during the warning
    expect(ended).toEqual([])
    expect(t.snapshot().presence).toBe('active')
    expect(t.remaining()).toBe(57_000)
    const late = make()
    late.start()
    const begun = Date.now()
    vi.setSystemTime(begun + 61_000)
    late.stayActive(begun + 60_500)
    expect(ended).toEqual(['idle'])
    expect(late.snapshot().presence).toBe('idle')
    // Once signing out, not even activity dated before the deadline calls it off.
    late.stayActive(begun + 59_000)
    late.activity(begun + 59_500)
    expect(late.snapshot().presence).toBe('idle')
    expect(ended).toEqual(['idle'])
  })

  it('normalizeIdle defaults', () => {
    expect(normalizeIdle({ timeout: 20_000 })).toMatchObject({ warnBefore: 5_000, dismissOnActivity: false, onIdle: 'signOut' })
    expect(normalizeIdle({ timeout: 3_600_000 })!.warnBefore).toBe(60_000)
    expect(normalizeIdle({ timeout: 3_600_000 }).absoluteWarnBefore).toBe(60_000)
  })
})
