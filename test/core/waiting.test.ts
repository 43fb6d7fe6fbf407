// Requests started while a refresh is known to be in progress (this tab's own, or another
// tab's that said `refreshing: true`) wait for its outcome, bounded by refreshTimeout, and then
// go out once with the new credential; requests to foreign origins never wait.
// Real browsers measure the same in e2e/waiting.spec.ts and bench/requests-during-refresh.mjs.
import { describe, expect, it, vi } from 'vitest'
import { createSession } from '../../src/index.js'
import type { Session, SessionOptions } from '../../src/index.js'
import { createStubServer, type StubServer } from '../helpers/stub-server.js'
import { createLocalHub, createLocalLock } from '../helpers/tabs.js'
import { track } from '../helpers/sessions.js'

const fakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })

/** The stub server behind a recorder: every request that reached it, with the answer it got. */
function recorded(server: StubServer) {
  const log: Array<{ url: string; auth: string | null; status: number }> = []
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input instanceof URL ? input.href : input, init)
    const response = await server.fetch(input, init)
    log.push({ url: request.url, auth: request.headers.get('Authorization'), status: response.status })
    return response
  }
  const api = () => log.filter((e) => e.url.includes('/api/'))
  return { fetch, log, api }
}

function make(options: SessionOptions) {
  const session = createSession({ credentials: 'bearer', crossTab: false, ...options })
  track(session)
  return session
}

describe("requests started during this tab's refresh", () => {
  it('wait for it and go out once with the new token: 20 requests, 0 401s, 20 API calls', async () => {
    const server = createStubServer()
    const rec = recorded(server)
    const session = make({ fetch: rec.fetch })
    await session.start()
    server.expire() // the old token would be answered 401
    const release = server.holdRefresh()
    const refreshing = session.refresh()
    expect(session.getState().refreshing).toBe(true)
    const requests = Array.from({ length: 20 }, (_, i) => session.fetch(`/api/item/${i}`))
    await vi.waitFor(() => expect(server.calls.refresh).toBe(2))
    expect(rec.api()).toHaveLength(0) // none went out on the old token
    release()
    const statuses = (await Promise.all(requests)).map((r) => r.status)
    expect(await refreshing).toBe(true)
    expect(statuses).toEqual(Array(20).fill(200))
    expect(rec.api()).toHaveLength(20) // each sent exactly once
    expect(rec.api().filter((e) => e.status === 401)).toHaveLength(0)
    expect(new Set(rec.api().map((e) => e.auth))).toEqual(new Set([`Bearer ${server.token}`]))
    expect(new Set(rec.api().map((e) => e.url)).size).toBe(20)
    expect(server.calls.refresh).toBe(2)
  })

  it('a request started by a state listener the moment `refreshing` turns true waits too', async () => {
    const server = createStubServer()
    const rec = recorded(server)
    const session = make({ fetch: rec.fetch })
    await session.start()
    server.expire()
    const requests: Promise<Response>[] = []
    const off = session.subscribe((s) => {
      if (s.refreshing) off(), requests.push(...Array.from({ length: 5 }, (_, i) => session.fetch(`/api/on-change/${i}`)))
    })
    expect(await session.refresh()).toBe(true)
    expect(requests).toHaveLength(5)
    expect((await Promise.all(requests)).map((r) => r.status)).toEqual(Array(5).fill(200))
    expect(rec.api().filter((e) => e.status === 401)).toEqual([])
    expect(rec.api()).toHaveLength(5)
  })

  it('a request to an allowed tokenOrigin waits too; one to a foreign origin goes out at once, without credentials', async () => {
    const server = createStubServer()
    const rec = recorded(server)
    const session = make({ fetch: rec.fetch, tokenOrigins: ['https://api.example.com'] })
    await session.start()
    server.expire()
    const release = server.holdRefresh()
    void session.refresh()
    const trusted = session.fetch('https://api.example.com/api/orders')
    const foreign = session.fetch('https://other.example.org/api/public')
    // The foreign request is answered while the refresh is still held.
    expect((await foreign).status).toBe(401) // the stub demands a token it was (rightly) not given
    expect(rec.api().map((e) => [e.url, e.auth])).toEqual([['https://other.example.org/api/public', null]])
    expect(server.calls.refresh).toBe(2)
    release()
    expect((await trusted).status).toBe(200)
    expect(rec.api().at(-1)).toEqual({ url: 'https://api.example.com/api/orders', auth: `Bearer ${server.token}`, status: 200 })
  })

  it('a refresh that hangs holds a waiting request for refreshTimeout at most (fake clock)', async () => {
    fakeClock()
    const server = createStubServer()
    const rec = recorded(server)
    const session = make({ fetch: rec.fetch, refreshTimeout: 5_000 })
    await session.start()
    server.holdRefresh() // never released: the identity provider hangs
    void session.refresh()
    let answered: number | null = null
    const request = session.fetch('/api/me').then((r) => (answered = r.status))
    await vi.advanceTimersByTimeAsync(4_999)
    expect(rec.api()).toHaveLength(0)
    expect(answered).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    await request
    // It went out on the credential it had (still valid here), once.
    expect(answered).toBe(200)
    expect(rec.api()).toHaveLength(1)
  })

  it('an AbortSignal aborts a request while it waits for the refresh, and it is never sent', async () => {
    const server = createStubServer()
    const rec = recorded(server)
    const session = make({ fetch: rec.fetch })
    await session.start()
    const release = server.holdRefresh()
    void session.refresh()
    const controller = new AbortController()
    const request = session.fetch('/api/me', { signal: controller.signal })
    controller.abort()
    await expect(request).rejects.toMatchObject({ name: 'AbortError' })
    release()
    await vi.waitFor(() => expect(session.getState().refreshing).toBe(false))
    expect(rec.api()).toHaveLength(0)
  })

  it('no refresh in progress: a request goes out at once', async () => {
    const server = createStubServer()
    const rec = recorded(server)
    const session = make({ fetch: rec.fetch })
    await session.start()
    server.holdRefresh() // a refresh now would hang: nothing may wait for one
    expect((await session.fetch('/api/me')).status).toBe(200)
    expect(server.calls.refresh).toBe(1)
  })
})

describe("requests started during another tab's refresh", () => {
  function twoTabs(server: StubServer, options: SessionOptions = {}) {
    const hub = createLocalHub()
    const lock = createLocalLock()
    const recs = [recorded(server), recorded(server)]
    const tabs = recs.map((rec) => make({ fetch: rec.fetch, crossTab: { channel: hub.channel(), lock }, ...options }))
    return { hub, tabs, recs }
  }
  /** Both tabs started, and every message of the start delivered (no `refreshing` left over). */
  async function started(tabs: Session[]) {
    await tabs[0]!.start()
    await tabs[1]!.start()
    await vi.waitFor(() => expect(tabs.map((t) => t.getState().refreshing)).toEqual([false, false]))
  }

  it('wait for its result and go out with the token it broadcast: 20 requests, 0 401s, no second refresh', async () => {
    const server = createStubServer()
    const { tabs, recs } = twoTabs(server)
    await started(tabs)
    expect(server.calls.refresh).toBe(1)
    server.expire()
    const release = server.holdRefresh()
    void tabs[0]!.refresh()
    await vi.waitFor(() => expect(tabs[1]!.getState().refreshing).toBe(true)) // tab 1 heard `refreshing: true`
    const requests = Array.from({ length: 20 }, (_, i) => tabs[1]!.fetch(`/api/item/${i}`))
    await vi.waitFor(() => expect(server.calls.refresh).toBe(2))
    expect(recs[1]!.api()).toHaveLength(0)
    release()
    expect((await Promise.all(requests)).map((r) => r.status)).toEqual(Array(20).fill(200))
    expect(recs[1]!.api()).toHaveLength(20)
    expect(recs[1]!.api().filter((e) => e.status === 401)).toHaveLength(0)
    expect(new Set(recs[1]!.api().map((e) => e.auth))).toEqual(new Set([`Bearer ${server.token}`]))
    expect(server.calls.refresh).toBe(2)
    expect(tabs[1]!.getState().version).toBe(tabs[0]!.getState().version)
  })

  it('a tab that said `refreshing: true` and went silent holds requests for refreshTimeout at most (fake clock)', async () => {
    fakeClock()
    const server = createStubServer()
    const hub = createLocalHub()
    const rec = recorded(server)
    const tab = make({ fetch: rec.fetch, refreshTimeout: 3_000, crossTab: { channel: hub.channel(), lock: createLocalLock() } })
    const started = tab.start()
    await vi.advanceTimersByTimeAsync(1_000)
    await started
    const frozen = hub.channel()
    frozen.post({ v: 1, from: 'frozen-tab', type: 'refreshing', active: true })
    await vi.advanceTimersByTimeAsync(1)
    expect(tab.getState().refreshing).toBe(true)
    let answered: number | null = null
    const request = tab.fetch('/api/me').then((r) => (answered = r.status))
    await vi.advanceTimersByTimeAsync(2_999)
    expect(rec.api()).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    await request
    expect(answered).toBe(200)
    expect(rec.api()).toHaveLength(1)
    // A foreign request during the same silence never waited.
    const before = rec.log.length
    const foreign = tab.fetch('https://other.example.org/x')
    await vi.advanceTimersByTimeAsync(0)
    await foreign
    expect(rec.log.length).toBe(before + 1)
  })

  it('a foreign-origin request never waits for another tab', async () => {
    const server = createStubServer()
    const { tabs, recs } = twoTabs(server)
    await started(tabs)
    const release = server.holdRefresh()
    void tabs[0]!.refresh()
    await vi.waitFor(() => expect(tabs[1]!.getState().refreshing).toBe(true))
    await tabs[1]!.fetch('https://other.example.org/api/x')
    expect(recs[1]!.api()).toEqual([{ url: 'https://other.example.org/api/x', auth: null, status: 401 }])
    expect(tabs[1]!.getState().refreshing).toBe(true) // answered before the refresh ended
    release()
  })
})
