import ky, { HTTPError } from 'ky'
import { afterEach, describe, expect, it } from 'vitest'
import { createSession, type Session } from '../../src/index.js'
import { kyHooks } from '../../src/adapters/ky.js'
import { createStubServer } from '../helpers/stub-server.js'

let sessions: Session[] = []
afterEach(() => {
  sessions.forEach((s) => s.destroy())
  sessions = []
})

async function setup(extra: Parameters<typeof createSession>[0] = {}) {
  const server = createStubServer()
  const session = createSession({ credentials: 'bearer', crossTab: false, fetch: server.fetch, ...extra })
  sessions.push(session)
  await session.start()
  const api = ky.create({ prefix: 'http://app.test/api', fetch: server.fetch, hooks: kyHooks(session), retry: { limit: 2 } })
  return { server, session, api }
}

describe('session-continuity/ky (ky 2, under Node 20 + happy-dom)', () => {
  it('attaches the bearer token and returns the body', async () => {
    const { api } = await setup()
    expect(await api.get('me').json()).toEqual({ ok: true, path: '/api/me' })
  })

  it('50 concurrent 401s through ky cause one refresh and all succeed', async () => {
    const { api, server } = await setup()
    server.expire()
    const all = await Promise.all(Array.from({ length: 50 }, (_, i) => api.get(`item/${i}`).json<{ ok: boolean }>()))
    expect(all.every((r) => r.ok)).toBe(true)
    expect(server.calls.refresh).toBe(2)
  })

  it('replays a POST body after the refresh', async () => {
    const { api, server } = await setup()
    server.expire()
    expect(await api.post('echo', { json: { draft: 'keep ✓' } }).json()).toEqual({ draft: 'keep ✓' })
  })

  it('refresh failure surfaces as HTTPError with the original 401', async () => {
    const { api, server, session } = await setup()
    server.expire()
    server.refreshAnswers.push(401)
    const error: any = await api.get('me').json().catch((e) => e)
    expect(error).toBeInstanceOf(HTTPError)
    expect(error.response.status).toBe(401)
    expect(session.getState().status).toBe('signedOut')
  })

  it('never loops: a replay that 401s again is an HTTPError after one refresh', async () => {
    const { session, server } = await setup()
    const deny: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input)
      return url.includes('/api/admin') ? new Response('no', { status: 401 }) : server.fetch(input, init)
    }
    const api = ky.create({ prefix: 'http://app.test/api', fetch: deny, hooks: kyHooks(session), retry: { limit: 5 } })
    const before = server.calls.refresh
    const error: any = await api.get('admin').catch((e) => e)
    expect(error).toBeInstanceOf(HTTPError)
    expect(server.calls.refresh - before).toBe(1)
  })

  it('sends the token to allowed origins only', async () => {
    const seen: Record<string, string | null> = {}
    const { session } = await setup({ tokenOrigins: ['https://api.example.com'] })
    const record: typeof fetch = async (input) => {
      const request = input as Request
      seen[new URL(request.url).host] = request.headers.get('Authorization')
      return new Response('{}')
    }
    const api = ky.create({ fetch: record, hooks: kyHooks(session) })
    await api.get('https://api.example.com/x')
    await api.get('https://evil.example.net/x')
    expect(seen['api.example.com']).toMatch(/^Bearer /)
    expect(seen['evil.example.net']).toBeNull()
  })
})
