// @vitest-environment node
// oauthRefresh against an msw token endpoint, with Node's own fetch: the request, the reply, the errors.
import { http, HttpResponse, delay } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { SessionEndedError, TransientRefreshError } from '../../src/index.js'
import { TOKEN, endpoint, jwt, ok, refresh, rejection, server, signal } from './setup.js'

describe('oauthRefresh: the request', () => {
  it('POSTs the refresh-token grant form-encoded, for a public client (no secret)', async () => {
    const seen = endpoint(TOKEN, () => ok({ access_token: 'at-2', expires_in: 20, refresh_token: 'rt-2' }))
    await refresh()({ signal, refreshToken: 'rt 1/+&=é' })
    expect(seen).toHaveLength(1)
    expect(seen[0].contentType).toBe('application/x-www-form-urlencoded;charset=UTF-8')
    expect(seen[0].accept).toBe('application/json')
    expect(seen[0].form).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt 1/+&=é', client_id: 'spa' })
    expect(seen[0].raw).toBe('grant_type=refresh_token&refresh_token=rt+1%2F%2B%26%3D%C3%A9&client_id=spa')
  })

  it('adds scope only when one is configured', async () => {
    const seen = endpoint(TOKEN, () => ok({ access_token: 'at', expires_in: 20 }))
    await refresh({ scope: 'openid api:read' })({ signal, refreshToken: 'rt' })
    expect(seen[0].form).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt', client_id: 'spa', scope: 'openid api:read' })
  })

  it('never passes the signal (nor keepalive) to fetch, and sends no cookies', async () => {
    const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => Response.json({ access_token: 'at', expires_in: 20 }))
    await refresh({ fetch })({ signal, refreshToken: 'rt' })
    const [url, init] = fetch.mock.calls[0]
    expect(url).toBe(TOKEN)
    expect(init).not.toHaveProperty('signal')
    expect(init?.keepalive).toBeFalsy()
    expect(init?.credentials).toBe('omit')
    expect(init?.method).toBe('POST')
  })

  it('an abort while the request is in flight does not lose the rotated refresh token', async () => {
    let arrived!: () => void
    const reached = new Promise<void>((r) => (arrived = r))
    endpoint(TOKEN, async () => {
      arrived()
      await delay(50)
      return ok({ access_token: 'at-2', expires_in: 20, refresh_token: 'rt-2' })
    })
    const controller = new AbortController()
    const pending = refresh()({ signal: controller.signal, refreshToken: 'rt-1' })
    await reached
    controller.abort()
    await expect(pending).resolves.toMatchObject({ accessToken: 'at-2', refreshToken: 'rt-2' })
  })

  it('calls the fetch function it was given detached (a bare window.fetch works)', async () => {
    let self: unknown = 'unset'
    const fetch = function (this: unknown) {
      self = this
      return Promise.resolve(Response.json({ access_token: 'at', expires_in: 20 }))
    } as unknown as typeof globalThis.fetch
    await refresh({ fetch })({ signal, refreshToken: 'rt' })
    expect(self).toBeUndefined()
  })

  it('without a refresh token: SessionEndedError, and no request', async () => {
    const fetch = vi.fn()
    for (const refreshToken of [undefined, null, '']) {
      const error = await rejection(refresh({ fetch })({ signal, refreshToken }))
      expect(error).toBeInstanceOf(SessionEndedError)
      expect(error.reason).toBe('refreshFailed')
    }
    expect(fetch).not.toHaveBeenCalled()
  })
})

describe('oauthRefresh: the reply', () => {
  it('maps the token response, with the rotated refresh token', async () => {
    endpoint(TOKEN, () => ok({ access_token: 'at-2', expires_in: 20, refresh_token: 'rt-2', scope: 'openid' }))
    expect(await refresh()({ signal, refreshToken: 'rt-1' })).toEqual({ accessToken: 'at-2', expiresIn: 20, refreshToken: 'rt-2' })
  })

  it('keeps the refresh token it was given when the OP does not rotate', async () => {
    endpoint(TOKEN, () => ok({ access_token: 'at-2', expires_in: 20 }))
    expect(await refresh()({ signal, refreshToken: 'rt-1' })).toEqual({ accessToken: 'at-2', expiresIn: 20, refreshToken: 'rt-1' })
  })

  it('reads the user from the ID token, without the claims that change with every token', async () => {
    const id_token = jwt({ sub: 'u1', name: 'Zoë ✓', iss: 'https://op.test', aud: 'spa', sid: 's1', auth_time: 5, iat: 10, exp: 30, nbf: 10, jti: 'j', nonce: 'n', at_hash: 'h' })
    endpoint(TOKEN, () => ok({ access_token: 'at-2', expires_in: 20, refresh_token: 'rt-2', id_token }))
    const result = await refresh()({ signal, refreshToken: 'rt-1' })
    expect(result.user).toEqual({ sub: 'u1', name: 'Zoë ✓', iss: 'https://op.test', aud: 'spa', sid: 's1', auth_time: 5 })
  })

  it("an Entra ID token's per-token claims (uti, rh, aio) and hybrid-flow hashes are left out: the same user stays equal across refreshes", async () => {
    const users: unknown[] = []
    for (const n of [1, 2]) {
      const id_token = jwt({ sub: 'u1', oid: 'o1', tid: 't1', name: 'Ada', ver: '2.0', iat: n, exp: n + 60, uti: `uti-${n}`, rh: `0.rh-${n}`, aio: `aio-${n}`, c_hash: `c${n}`, s_hash: `s${n}` })
      endpoint(TOKEN, () => ok({ access_token: `at-${n}`, expires_in: 60, refresh_token: `rt-${n}`, id_token }))
      users.push((await refresh()({ signal, refreshToken: `rt-${n - 1}` })).user)
    }
    expect(users[0]).toEqual({ sub: 'u1', oid: 'o1', tid: 't1', name: 'Ada', ver: '2.0' })
    expect(users[1]).toEqual(users[0])
  })

  it('expires_in sent as a string is read as a number; a missing one is taken as 300 s (the rotated token is kept)', async () => {
    endpoint(TOKEN, () => ok({ access_token: 'at-2', expires_in: '3599', refresh_token: 'rt-2' }))
    expect(await refresh()({ signal, refreshToken: 'rt-1' })).toEqual({ accessToken: 'at-2', expiresIn: 3599, refreshToken: 'rt-2' })
    endpoint(TOKEN, () => ok({ access_token: 'at-3', refresh_token: 'rt-3' }))
    expect(await refresh()({ signal, refreshToken: 'rt-2' })).toEqual({ accessToken: 'at-3', expiresIn: 300, refreshToken: 'rt-3' })
  })

  it('a malformed ID token leaves the user out and the tokens in', async () => {
    endpoint(TOKEN, () => ok({ access_token: 'at-2', expires_in: 20, refresh_token: 'rt-2', id_token: 'not.a-jwt!' }))
    expect(await refresh()({ signal, refreshToken: 'rt-1' })).toEqual({ accessToken: 'at-2', expiresIn: 20, refreshToken: 'rt-2' })
  })

  it.each([
    ['not JSON', () => new HttpResponse('<html>', { status: 200, headers: { 'Content-Type': 'text/html' } })],
    ['no access_token', () => HttpResponse.json({ expires_in: 20, refresh_token: 'rt-2' })],
  ])('a 200 that is %s is transient', async (_, reply) => {
    endpoint(TOKEN, reply)
    const error = await rejection(refresh()({ signal, refreshToken: 'rt-1' }))
    expect(error).toBeInstanceOf(TransientRefreshError)
    expect(error.status).toBe(200)
    expect(error.message).not.toContain('rt-')
  })
})

describe('oauthRefresh: errors', () => {
  it.each([
    [400, { error: 'invalid_grant', error_description: 'grant request is invalid' }, 'refreshFailed'],
    [400, { error: 'invalid_grant', error_description: 'Token is not active' }, 'refreshFailed'],
    [400, { error: 'invalid_grant', error_description: 'The refresh token has been revoked' }, 'revoked'],
    [400, { error: 'invalid_grant', error_description: 'Maximum allowed refresh token reuse exceeded' }, 'revoked'],
    [400, { error: 'invalid_grant', error_description: 'refresh token already used' }, 'revoked'],
    [401, { error: 'invalid_client' }, 'refreshFailed'],
    [400, { error: 'invalid_scope' }, 'refreshFailed'],
    [403, null, 'refreshFailed'],
  ])('%i %j ends the session (%s)', async (status, body, reason) => {
    endpoint(TOKEN, () => (body ? HttpResponse.json(body, { status }) : new HttpResponse('nope', { status })))
    const error = await rejection(refresh()({ signal, refreshToken: 'rt-secret' }))
    expect(error).toBeInstanceOf(SessionEndedError)
    expect(error.status).toBe(status)
    expect(error.reason).toBe(reason)
    expect(error.message).not.toContain('rt-secret')
  })

  it.each([500, 502, 503, 408, 429])('%i is transient', async (status) => {
    endpoint(TOKEN, () => HttpResponse.json({ error: 'temporarily_unavailable' }, { status }))
    const error = await rejection(refresh()({ signal, refreshToken: 'rt' }))
    expect(error).toBeInstanceOf(TransientRefreshError)
    expect(error.status).toBe(status)
    expect(error.retryAfter).toBeNull()
  })

  it('Retry-After in seconds becomes ms', async () => {
    endpoint(TOKEN, () => new HttpResponse(null, { status: 429, headers: { 'Retry-After': '7' } }))
    const error = await rejection(refresh()({ signal, refreshToken: 'rt' }))
    expect(error).toBeInstanceOf(TransientRefreshError)
    expect(error.retryAfter).toBe(7000)
  })

  it('Retry-After as an HTTP date becomes the ms until then', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2030-01-01T00:00:00Z') })
    endpoint(TOKEN, () => new HttpResponse(null, { status: 503, headers: { 'Retry-After': 'Tue, 01 Jan 2030 00:00:30 GMT' } }))
    const error = await rejection(refresh()({ signal, refreshToken: 'rt' }))
    expect(error.retryAfter).toBe(30_000)
  })

  it('Retry-After in the past or unreadable is ignored', async () => {
    for (const value of ['Mon, 01 Jan 2001 00:00:00 GMT', 'soon', '-5']) {
      endpoint(TOKEN, () => new HttpResponse(null, { status: 503, headers: { 'Retry-After': value } }))
      expect((await rejection(refresh()({ signal, refreshToken: 'rt' }))).retryAfter).toBeNull()
    }
  })

  it('a network failure is transient', async () => {
    server.use(http.post(TOKEN, () => HttpResponse.error()))
    const error = await rejection(refresh()({ signal, refreshToken: 'rt' }))
    expect(error).toBeInstanceOf(TransientRefreshError)
    expect(error.status).toBeNull()
    expect(error.message).toMatch(/^session-continuity: refresh failed \(network: /)
  })
})
