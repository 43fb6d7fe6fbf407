// @vitest-environment node
// The mock's refresh delay: a slow identity provider for tests of requests made during a refresh.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMockApp } from '../../src/mock/index.js'

const post = (path: string, body?: unknown, cookie?: string) =>
  new Request(`http://app.test${path}`, {
    method: 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
  })
const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')

describe('control.setRefreshDelay', () => {
  afterEach(() => void vi.useRealTimers())

  it('delays /auth/refresh answers by exactly the set ms, and nothing else; reset() removes it', async () => {
    vi.useFakeTimers()
    const app = createMockApp()
    const login = (await app.handle(post('/auth/login', { username: 'demo', password: 'demo' })))!
    const cookie = cookieOf(login)
    app.control.setRefreshDelay(500)
    // Other routes answer at once.
    expect((await app.handle(new Request('http://app.test/api/me', { headers: { Cookie: cookie } })))!.status).toBe(200)
    let answered = false
    const pending = app.handle(post('/auth/refresh', undefined, cookie)).then((res) => ((answered = true), res))
    await vi.advanceTimersByTimeAsync(499)
    expect(answered).toBe(false)
    expect(app.control.counters.refreshCalls).toBe(1) // counted when it arrives
    await vi.advanceTimersByTimeAsync(1)
    expect(answered).toBe(true)
    const refreshed = (await pending)!
    expect(refreshed.status).toBe(200)
    expect(app.control.counters.refreshSuccesses).toBe(1)
    app.control.reset()
    const next = (await app.handle(post('/auth/login', { username: 'demo', password: 'demo' })))!
    let quick = false
    void app.handle(post('/auth/refresh', undefined, cookieOf(next))).then(() => (quick = true))
    await vi.advanceTimersByTimeAsync(0)
    expect(quick).toBe(true)
  })

  it('a fault queued while a slow refresh is under way applies to the next call, not that one', async () => {
    vi.useFakeTimers()
    const app = createMockApp()
    const cookie = cookieOf((await app.handle(post('/auth/login', { username: 'demo', password: 'demo' })))!)
    app.control.setRefreshDelay(500)
    const slow = app.handle(post('/auth/refresh', undefined, cookie))
    app.control.failNextRefresh({ status: 503 })
    await vi.advanceTimersByTimeAsync(500)
    const answered = (await slow)!
    expect(answered.status).toBe(200)
    app.control.setRefreshDelay(0)
    expect((await app.handle(post('/auth/refresh', undefined, cookieOf(answered))))!.status).toBe(503)
    expect((await app.handle(post('/auth/refresh', undefined, cookieOf(answered))))!.status).toBe(200)
  })

  it('rejects a negative or non-finite delay', () => {
    const app = createMockApp()
    expect(() => app.control.setRefreshDelay(-1)).toThrow(/refreshDelay/)
    expect(() => app.control.setRefreshDelay(Number.NaN)).toThrow(/refreshDelay/)
  })
})
