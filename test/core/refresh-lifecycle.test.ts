// The refresh lifecycle as session.fetch and session.refresh drive it: proactive refresh,
// joining, malformed replies, Retry-After, timeouts, custom refresh, sign-in and sign-out.
import { describe, expect, it, vi } from 'vitest'
import { createSession } from '../../src/index.js'
import { bearerSession, events, signedIn, track } from '../helpers/sessions.js'
import { createStubServer } from '../helpers/stub-server.js'

describe('refresh lifecycle', () => {
  it('refreshes proactively refreshBefore ms before expiry so an active user sees no 401', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const server = createStubServer({ expiresIn: 300 })
    const session = await signedIn(server, { refreshBefore: 60_000 })
    const statuses: number[] = []
    for (let minute = 0; minute < 20; minute++) {
      await vi.advanceTimersByTimeAsync(60_000)
      statuses.push((await session.fetch('/api/tick')).status)
    }
    expect(statuses.every((s) => s === 200)).toBe(true)
    // 20 minutes with 5-minute tokens refreshed 1 minute early: one refresh every 4 minutes.
    expect(server.calls.refresh).toBe(1 + 5)
  })

  it('refresh() joins the refresh in flight', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    const release = server.holdRefresh()
    const a = session.refresh()
    const b = session.refresh()
    expect(session.getState().refreshing).toBe(true)
    release()
    expect(await Promise.all([a, b])).toEqual([true, true])
    expect(server.calls.refresh).toBe(2)
    expect(session.getState().refreshing).toBe(false)
  })

  it('a malformed 200 (HTML, missing expiresIn, absurd values) is a transient failure with a typed error', async () => {
    for (const body of ['<html>oops</html>', '{}', '{"expiresIn":-5,"accessToken":"x"}', '{"expiresIn":1e12,"accessToken":"x"}', '{"expiresIn":60}']) {
      const server = createStubServer()
      const session = await signedIn(server)
      const failed = events(session, 'refreshFailed')
      server.refreshAnswers.push({ status: 200, body })
      expect(await session.refresh()).toBe(false)
      expect(failed[0]).toMatchObject({ transient: true })
      expect((failed[0]!.error as Error).name).toBe('TransientRefreshError')
      expect(session.getState().status).toBe('authenticated')
    }
  })

  it("honours Retry-After on a 503", async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    const failed = events(session, 'refreshFailed')
    server.refreshAnswers.push({ status: 503, body: '', headers: { 'Retry-After': '7' } })
    const before = Date.now()
    await session.refresh()
    expect(failed[0]!.retryAt! - before).toBeGreaterThanOrEqual(7000)
    expect(failed[0]!.retryAt! - before).toBeLessThan(7500)
  })

  it('aborts a hung refresh after refreshTimeout and keeps the session', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const server = createStubServer()
    const session = await signedIn(server, { refreshTimeout: 5_000 })
    const release = server.holdRefresh()
    const failed = events(session, 'refreshFailed')
    const pending = session.refresh()
    await vi.advanceTimersByTimeAsync(5_000)
    expect(await pending).toBe(false)
    expect((failed[0]!.error as Error).message).toContain('timed out')
    expect(session.getState().status).toBe('authenticated')
    release()
  })

  it('a custom refresh function replaces the built-in call; SessionEndedError ends the session', async () => {
    const { SessionEndedError } = await import('../../src/index.js')
    let n = 0
    const session = createSession({
      crossTab: false,
      refresh: async () => {
        if (++n === 2) throw new SessionEndedError(401)
        return { expiresIn: 100, user: { id: 7 } }
      },
      fetch: async () => new Response(null, { status: 204 }),
    })
    track(session)
    await session.start()
    expect(session.getState()).toMatchObject({ status: 'authenticated', user: { id: 7 } })
    await session.refresh()
    await vi.waitFor(() => expect(session.getState()).toMatchObject({ status: 'signedOut', reason: 'refreshFailed' }))
  })

  it('start() without a session ends signed out (no reason), and signIn() then signs in', async () => {
    const server = createStubServer()
    server.refreshAnswers.push(401)
    const session = bearerSession(server)
    const ins = events(session, 'signedIn')
    await session.start()
    expect(session.getState()).toMatchObject({ status: 'signedOut', reason: null })
    session.signIn({ expiresIn: 60, accessToken: server.token, user: { id: 'u1' } })
    expect(session.getState()).toMatchObject({ status: 'authenticated', user: { id: 'u1' } })
    expect(ins).toEqual([{ user: { id: 'u1' }, userChanged: false, source: 'self' }])
    expect((await session.fetch('/api/me')).status).toBe(200)
  })

  it('signOut() calls logoutUrl with POST, clears credentials, reason logout; a failing logout still signs out', async () => {
    const server = createStubServer()
    const session = await signedIn(server, {
      fetch: async (input, init) => {
        if (String(input) === '/auth/logout') {
          expect(init?.method).toBe('POST')
          throw new TypeError('offline')
        }
        return server.fetch(input, init)
      },
    })
    const errors = events(session, 'error')
    await session.signOut()
    expect(session.getState()).toMatchObject({ status: 'signedOut', reason: 'logout', user: null, expiresAt: null })
    expect(session.authorizationFor('/api')).toBeNull()
    expect(errors[0]!.during).toBe('logout')
    const res = await session.fetch('/api/me')
    expect(res.status).toBe(401)
  })

  it('signIn() as a different user reports userChanged', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    const ins = events(session, 'signedIn')
    await session.signOut()
    session.signIn({ expiresIn: 60, accessToken: 'a', user: { id: 'u2' } })
    expect(ins[0]).toMatchObject({ userChanged: true })
  })

  it('signIn() with a bad result throws a typed error naming what is wrong', () => {
    const session = bearerSession(createStubServer())
    expect(() => session.signIn({ expiresIn: -1, accessToken: 'x' })).toThrow(/signIn\(result\).*expiresIn/)
    expect(() => session.signIn({ expiresIn: 60 })).toThrow(/accessToken/)
  })

  it('a refresh returning an equal user keeps the same user object; a different one replaces it', async () => {
    let name = 'Ada'
    const session = createSession({ crossTab: false, refresh: async () => ({ expiresIn: 300, user: { id: 'u1', name } }) })
    track(session)
    await session.start()
    const first = session.getState()
    await session.refresh()
    const second = session.getState()
    expect(second.version).toBeGreaterThan(first.version) // a new snapshot...
    expect(second.user).toBe(first.user) // ...with the same user: `useSession(s => s.user)` does not re-render
    name = 'Ada L.'
    await session.refresh()
    expect(session.getState().user).toEqual({ id: 'u1', name: 'Ada L.' })
    expect(session.getState().user).not.toBe(first.user)
  })

  it('state snapshots are frozen and replaced on change; subscribe gets (state, previous)', async () => {
    const server = createStubServer()
    const session = bearerSession(server)
    const seen: Array<[string, string]> = []
    session.subscribe((s, p) => seen.push([p.status, s.status]))
    const before = session.getState()
    expect(Object.isFrozen(before)).toBe(true)
    await session.start()
    expect(session.getState()).not.toBe(before)
    expect(seen).toContainEqual(['unknown', 'authenticated'])
  })
})
