// Results and failures that arrive after the session moved on: a refresh reply during a forced
// sign-out, after a new sign-in, after sign-out or destroy(); Retry-After: 0; state changes made
// by a change listener; a second sign-out. Each must leave the newer state as it is.
import { describe, expect, it, vi } from 'vitest'
import { createSession, idle } from '../../src/index.js'
import { createStubServer } from '../helpers/stub-server.js'
import { createLocalHub, createLocalLock } from '../helpers/tabs.js'
import { events, signedIn, track } from '../helpers/sessions.js'

const fakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
const login = { expiresIn: 300, accessToken: 'new-login', user: { id: 'u2' } }

describe('a refresh that settles after the session moved on', () => {
  it('a reply landing during a forced sign-out does not cancel it', async () => {
    fakeClock()
    const server = createStubServer()
    const session = await signedIn(server, { beforeSignOut: () => new Promise((r) => setTimeout(r, 1_000)), use: [idle({ timeout: 100_000 })] })
    const signedOut = events(session, 'signedOut')
    await vi.advanceTimersByTimeAsync(99_900)
    server.expire()
    const release = server.holdRefresh()
    void session.fetch('/api/poll')
    await vi.advanceTimersByTimeAsync(200)
    expect(session.getState().status).toBe('signingOut')
    release()
    await vi.advanceTimersByTimeAsync(5_000)
    expect(session.getState()).toMatchObject({ status: 'signedOut', reason: 'idle' })
    expect(signedOut).toEqual([expect.objectContaining({ reason: 'idle' })])
  })

  it('a refresh answering 401 after a new signIn() leaves the new sign-in alone', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    const release = server.holdRefresh()
    server.refreshAnswers.push(401)
    const pending = session.refresh()
    await vi.waitFor(() => expect(server.calls.refresh).toBe(2)) // at the server, held
    session.signIn(login)
    release()
    expect(await pending).toBe(true)
    expect(session.getState()).toMatchObject({ status: 'authenticated', user: { id: 'u2' } })
    expect(session.authorizationFor('/api/x')).toBe('Bearer new-login')
  })

  it('a reply landing after refreshTimeout does not overwrite a newer signIn()', async () => {
    fakeClock()
    const server = createStubServer()
    const session = await signedIn(server, { refreshTimeout: 5_000 })
    const release = server.holdRefresh()
    const pending = session.refresh()
    await vi.advanceTimersByTimeAsync(5_000)
    expect(await pending).toBe(false) // timed out
    session.signIn(login)
    release()
    await vi.advanceTimersByTimeAsync(10)
    expect(session.getState().user).toEqual({ id: 'u2' })
    expect(session.authorizationFor('/api/x')).toBe('Bearer new-login')
  })

  it('after destroy(), a refresh answering 401 runs no beforeSignOut and calls no logout, and a success resolves false', async () => {
    const server = createStubServer()
    const beforeSignOut = vi.fn()
    const session = await signedIn(server, { beforeSignOut })
    let release = server.holdRefresh()
    server.refreshAnswers.push(401)
    let pending = session.refresh()
    await vi.waitFor(() => expect(server.calls.refresh).toBe(2)) // at the server, held
    session.destroy()
    release()
    expect(await pending).toBe(false)
    expect(beforeSignOut).not.toHaveBeenCalled()
    expect(server.calls.logout).toBe(0)
    const other = await signedIn(server)
    release = server.holdRefresh()
    pending = other.refresh()
    await vi.waitFor(() => expect(server.calls.refresh).toBe(4))
    other.destroy()
    release()
    expect(await pending).toBe(false)
  })

  it('after signOut(), a racing transient failure emits no refreshFailed and leaves no retry (not even when back online)', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    const failed = events(session, 'refreshFailed')
    const release = server.holdRefresh()
    server.refreshAnswers.push('network')
    const pending = session.refresh()
    await vi.waitFor(() => expect(server.calls.refresh).toBe(2)) // at the server, held
    await session.signOut()
    release()
    expect(await pending).toBe(false)
    expect(failed).toEqual([])
    const calls = server.calls.refresh
    window.dispatchEvent(new Event('online'))
    await Promise.resolve()
    expect(server.calls.refresh).toBe(calls)
  })
})

describe('backoff', () => {
  it('Retry-After: 0 still leads to a retry, and proactive refresh goes on', async () => {
    fakeClock()
    const server = createStubServer({ expiresIn: 300 })
    const session = await signedIn(server, { retry: { base: 1_000, max: 60_000 } })
    server.refreshAnswers.push({ status: 503, body: '', headers: { 'Retry-After': '0' } })
    expect(await session.refresh()).toBe(false)
    const after = server.calls.refresh
    await vi.advanceTimersByTimeAsync(1_000) // Retry-After 0 counts as retry.base
    expect(server.calls.refresh).toBe(after + 1)
    expect(session.getState().status).toBe('authenticated')
    await vi.advanceTimersByTimeAsync(400_000)
    expect(server.calls.refresh).toBeGreaterThan(after + 1)
    expect(session.getState().status).toBe('authenticated')
  })
})

describe('state changes made while a change is delivered', () => {
  it('reach every subscriber in order, the last one being the current state', async () => {
    fakeClock()
    const server = createStubServer()
    const session = await signedIn(server, { use: [idle({ timeout: 100_000 })] })
    const seen: Array<[string, string]> = []
    let last = session.getState()
    session.subscribe((state, previous) => {
      last = state
      seen.push([previous.presence, state.presence])
    })
    await vi.advanceTimersByTimeAsync(101_000)
    expect(last).toBe(session.getState())
    // Each delivery starts where the one before it ended.
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBe(seen[i - 1]![1])
  })
})

describe('signing out twice', () => {
  it('tells the server once: a second signOut() in the tab, or one in a tab another tab signed out', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    await Promise.all([session.signOut(), session.signOut()])
    expect(server.calls.logout).toBe(1)

    const hub = createLocalHub()
    const lock = createLocalLock()
    const logout = vi.fn()
    const make = () => track(createSession({ credentials: 'bearer', fetch: server.fetch, logout, crossTab: { channel: hub.channel(), lock } }))
    const [a, b] = [make(), make()]
    await a.start()
    await b.start()
    await a.signOut()
    await vi.waitFor(() => expect(b.getState().status).toBe('signedOut'))
    await b.signOut()
    expect(logout).toHaveBeenCalledTimes(1)
  })

  it('sends the bearer token to logoutUrl only where credentials may go', async () => {
    const server = createStubServer()
    const seen: Array<[string, string | null]> = []
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).includes('logout')) seen.push([String(input), new Headers(init?.headers).get('Authorization')])
      return server.fetch(input, init)
    }
    const foreign = await signedIn(server, { fetch, logoutUrl: 'https://sso.other.example/logout' })
    await foreign.signOut()
    const own = await signedIn(server, { fetch })
    await own.signOut()
    expect(seen).toEqual([
      ['https://sso.other.example/logout', null],
      ['/auth/logout', expect.stringMatching(/^Bearer /)],
    ])
  })
})

describe('a bad signIn(result)', () => {
  it('throws an OptionError that names the problem and carries no token', () => {
    const session = track(createSession({ credentials: 'bearer', crossTab: false }))
    let error: any
    try {
      session.signIn({ accessToken: 'AT-SECRET', refreshToken: 'RT-SECRET', expiresIn: '3600' as unknown as number })
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ name: 'OptionError', option: 'signIn(result)', received: { expiresIn: '3600', accessToken: '[redacted]', refreshToken: '[redacted]' } })
    expect(error.message).toMatch(/expiresIn/)
    expect(JSON.stringify({ ...error, message: error.message })).not.toMatch(/SECRET/)
  })
})
