// What an app sees right after a 401 that ends the session: the state has already left
// 'authenticated' ('signingOut' while beforeSignOut runs, with the credentials still sent so
// drafts can be saved), then 'signedOut' with the true reason.
import { describe, expect, it, vi } from 'vitest'
import { createSession, type Status } from '../../src/index.js'
import { createStubServer } from '../helpers/stub-server.js'
import { track } from '../helpers/sessions.js'


describe('signing out after a refused refresh', () => {
  it('await session.fetch() resolves with the 401 after the state left authenticated; the hook sees signingOut', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const server = createStubServer()
    const seenInHook: Status[] = []
    let finishDrafts!: () => void
    const session = createSession({
      credentials: 'bearer',
      crossTab: false,
      fetch: server.fetch,
      beforeSignOutTimeout: 5_000,
      beforeSignOut: () => {
        seenInHook.push(session.getState().status)
        return new Promise<void>((resolve) => (finishDrafts = resolve))
      },
    })
    track(session)
    await session.start()
    server.expire()
    server.refreshAnswers.push({ status: 401, body: '{"error":"token_reused","reason":"revoked"}' })
    const res = await session.fetch('/api/orders')
    expect(res.status).toBe(401)
    expect(session.getState()).toMatchObject({ status: 'signingOut', reason: 'revoked' })
    expect(seenInHook).toEqual(['signingOut'])
    // While the hook runs, a request goes out as it is (a 401 is returned, never refreshed) and refresh() is refused.
    const calls = server.calls.refresh
    await session.fetch('/api/drafts', { method: 'POST', body: 'draft' })
    expect(server.calls.refresh).toBe(calls)
    expect(await session.refresh()).toBe(false)
    finishDrafts()
    await vi.waitFor(() => expect(session.getState()).toMatchObject({ status: 'signedOut', reason: 'revoked', fromOtherTab: false }))
  })
})
