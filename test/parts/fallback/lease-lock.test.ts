// The localStorage lease lock (storageFallback): what another tab, a crash, a clock jump or a
// corrupt value may leave in storage must neither skip the lock nor block it for good.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LockTimeoutError } from '../../../src/base/errors.js'
import { createLeaseLock } from '../../../src/parts/fallback/lease-lock.js'

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }))
afterEach(() => vi.useRealTimers())

function memoryStorage() {
  const map = new Map<string, string>()
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  } as unknown as Storage & { map: Map<string, string> }
}

/** A callback that runs until `finish()`; `running` tells whether it has started. */
function gate() {
  let finish!: () => void
  const done = new Promise<void>((r) => (finish = r))
  const g = { running: false, finish, fn: async () => ((g.running = true), await done) }
  return g
}

describe('lease lock: what storage may hold', () => {
  it('a corrupt lease value (not JSON) is taken over, and the lock still excludes the other tab', async () => {
    const storage = memoryStorage()
    storage.setItem('r', '{corrupt')
    const [a, b] = [createLeaseLock(storage), createLeaseLock(storage)]
    const first = gate()
    const second = gate()
    const runs = [a.run('r', first.fn, 5_000), b.run('r', second.fn, 5_000)]
    await vi.advanceTimersByTimeAsync(500)
    expect([first.running, second.running].filter(Boolean)).toHaveLength(1)
    ;(first.running ? first : second).finish()
    await vi.advanceTimersByTimeAsync(500)
    expect(first.running && second.running).toBe(true)
    first.finish()
    second.finish()
    await Promise.all(runs)
  })

  it.each([['5'], ['null'], ['{"owner":"x"}'], ['{"owner":"x","until":"later"}'], ['[1,2]']])('a lease of the wrong shape (%s) does not block the lock', async (value) => {
    const storage = memoryStorage()
    storage.setItem('r', value)
    const run = createLeaseLock(storage).run('r', async () => 'granted', 1_000)
    const settled = expect(run).resolves.toBe('granted')
    await vi.advanceTimersByTimeAsync(1_100)
    await settled
  })

  it('a lease dated more than a minute ahead (the clock went back, or a forged value) is not waited for', async () => {
    const storage = memoryStorage()
    storage.setItem('r', JSON.stringify({ owner: 'gone', until: Date.now() + 3_600_000 }))
    const run = createLeaseLock(storage).run('r', async () => 'granted', 1_000)
    const settled = expect(run).resolves.toBe('granted')
    await vi.advanceTimersByTimeAsync(1_100)
    await settled
    // A live lease (within its 5 s) is still respected.
    storage.setItem('r', JSON.stringify({ owner: 'alive', until: Date.now() + 4_000 }))
    const blocked = expect(createLeaseLock(storage).run('r', async () => 'never', 1_000)).rejects.toBeInstanceOf(LockTimeoutError)
    await vi.advanceTimersByTimeAsync(1_100)
    await blocked
  })
})

describe('lease lock: renewal and release', () => {
  it('renewal never overwrites a lease another tab took over; release by the old holder leaves it alone', async () => {
    const storage = memoryStorage()
    const g = gate()
    const run = createLeaseLock(storage).run('r', g.fn, 1_000)
    await vi.advanceTimersByTimeAsync(100)
    expect(g.running).toBe(true)
    // The holder was frozen past its lease; another tab took it over.
    const other = JSON.stringify({ owner: 'other', until: Date.now() + 5_000 })
    storage.setItem('r', other)
    await vi.advanceTimersByTimeAsync(3_000) // a renewal tick (every 2.5 s)
    expect(storage.getItem('r')).toBe(other)
    g.finish()
    await run
    expect(storage.getItem('r')).toBe(other)
  })

  it('a holder renews its own lease, so a long run is not taken over; the lease is removed on release', async () => {
    const storage = memoryStorage()
    const g = gate()
    const run = createLeaseLock(storage).run('r', g.fn, 1_000)
    await vi.advanceTimersByTimeAsync(100)
    const other = gate()
    const otherRun = createLeaseLock(storage).run('r', other.fn, 20_000)
    await vi.advanceTimersByTimeAsync(12_000)
    expect(other.running).toBe(false)
    g.finish()
    await run
    await vi.advanceTimersByTimeAsync(100)
    expect(other.running).toBe(true)
    other.finish()
    await otherRun
    expect(storage.getItem('r')).toBeNull()
  })
})

describe('lease lock: the wait is bounded by timeoutMs', () => {
  it('a second request in the same tab times out with LockTimeoutError while the first holds, and never runs later', async () => {
    const lock = createLeaseLock(memoryStorage())
    const g = gate()
    const first = lock.run('r', g.fn, 1_000)
    await vi.advanceTimersByTimeAsync(100)
    const late = vi.fn(async () => 'late')
    const second = lock.run('r', late, 1_000)
    const rejected = expect(second).rejects.toBeInstanceOf(LockTimeoutError)
    await vi.advanceTimersByTimeAsync(1_100)
    await rejected
    // A third request still waits for the first (the withdrawn one does not let it in early).
    const third = gate()
    const thirdRun = lock.run('r', third.fn, 5_000)
    await vi.advanceTimersByTimeAsync(500)
    expect(third.running).toBe(false)
    g.finish()
    await first
    await vi.advanceTimersByTimeAsync(100)
    expect(third.running).toBe(true)
    expect(late).not.toHaveBeenCalled()
    third.finish()
    await thirdRun
  })

  it('also without storage (the in-tab queue alone)', async () => {
    const lock = createLeaseLock(null)
    const g = gate()
    const first = lock.run('r', g.fn, 1_000)
    const second = lock.run('r', async () => 'late', 1_000)
    const rejected = expect(second).rejects.toBeInstanceOf(LockTimeoutError)
    await vi.advanceTimersByTimeAsync(1_100)
    await rejected
    g.finish()
    await first
  })
})
