// @vitest-environment node
// The OAuth helpers against an msw token/revocation endpoint, with Node's own fetch.
import { http, HttpResponse, delay } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { OptionError, SessionEndedError, SessionError, TransientRefreshError } from '../../src/index.js'
import type { SessionOptions } from '../../src/index.js'
import { endSessionUrl, oauthRefresh, oauthRevoke, toRefreshResult } from '../../src/oauth/index.js'

const TOKEN = 'https://op.test/token'
const REVOKE = 'https://op.test/token/revocation'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  vi.useRealTimers()
})
afterAll(() => server.close())

interface Seen {
  contentType: string | null
  accept: string | null
  form: Record<string, string>
  raw: string
}

/** Serves `reply` at `url` and records what each request carried. */
function endpoint(url: string, reply: (form: Record<string, string>) => Response | Promise<Response>) {
  const seen: Seen[] = []
  server.use(
    http.post(url, async ({ request }) => {
      const raw = await request.text()
      const form = Object.fromEntries(new URLSearchParams(raw))
      seen.push({ contentType: request.headers.get('Content-Type'), accept: request.headers.get('Accept'), form, raw })
      return reply(form)
    }),
  )
  return seen
}

/** An unsigned JWT with `claims` as its payload (base64url, UTF-8). */
const jwt = (claims: object) => {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${part({ alg: 'RS256' })}.${part(claims)}.c2ln`
}

const ok = (body: object) => HttpResponse.json({ token_type: 'Bearer', ...body })
const refresh = (options: Partial<Parameters<typeof oauthRefresh>[0]> = {}) => oauthRefresh({ tokenEndpoint: TOKEN, clientId: 'spa', ...options })
const signal = new AbortController().signal

async function rejection(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    return error as any
  }
  throw new Error('expected a rejection')
}

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

describe('oauthRevoke', () => {
  it('revokes the refresh token (RFC 7009), form-encoded, kept alive across a redirect', async () => {
    const seen = endpoint(REVOKE, () => new HttpResponse(null, { status: 200 }))
    const fetch = vi.fn(globalThis.fetch)
    await oauthRevoke({ revocationEndpoint: REVOKE, clientId: 'spa', fetch })({ refreshToken: 'rt-1', accessToken: 'at-1' })
    expect(seen).toHaveLength(1)
    expect(seen[0].contentType).toBe('application/x-www-form-urlencoded;charset=UTF-8')
    expect(seen[0].form).toEqual({ token: 'rt-1', token_type_hint: 'refresh_token', client_id: 'spa' })
    expect(fetch.mock.calls[0][1]).toMatchObject({ method: 'POST', keepalive: true, credentials: 'omit' })
  })

  it('without a refresh token, revokes the access token', async () => {
    const seen = endpoint(REVOKE, () => new HttpResponse(null, { status: 200 }))
    await oauthRevoke({ revocationEndpoint: REVOKE, clientId: 'spa' })({ refreshToken: null, accessToken: 'at-1' })
    expect(seen[0].form).toEqual({ token: 'at-1', token_type_hint: 'access_token', client_id: 'spa' })
  })

  it('with no token at all, sends nothing', async () => {
    const fetch = vi.fn()
    await oauthRevoke({ revocationEndpoint: REVOKE, clientId: 'spa', fetch })({})
    expect(fetch).not.toHaveBeenCalled()
  })

  it('an error answer rejects with a SessionError carrying the status, not the token', async () => {
    endpoint(REVOKE, () => HttpResponse.json({ error: 'unsupported_token_type' }, { status: 400 }))
    const error = await rejection(oauthRevoke({ revocationEndpoint: REVOKE, clientId: 'spa' })({ refreshToken: 'rt-secret' }))
    expect(error).toBeInstanceOf(SessionError)
    expect(error.status).toBe(400)
    expect(error.message).not.toContain('rt-secret')
  })
})

describe('toRefreshResult', () => {
  it('maps a code-exchange reply for session.signIn()', () => {
    const id_token = jwt({ sub: 'u1', email: 'a@b.c', iat: 1, exp: 2, nonce: 'n' })
    expect(toRefreshResult({ access_token: 'at', expires_in: 20, refresh_token: 'rt', id_token, token_type: 'Bearer' })).toEqual({
      accessToken: 'at',
      expiresIn: 20,
      refreshToken: 'rt',
      user: { sub: 'u1', email: 'a@b.c' },
    })
  })

  it('without refresh_token (no offline access) there is none in the result', () => {
    const result = toRefreshResult({ access_token: 'at', expires_in: 20 })
    expect(result).toEqual({ accessToken: 'at', expiresIn: 20 })
    expect(result).not.toHaveProperty('refreshToken')
  })

  it.each([
    ['an error reply', { error: 'invalid_grant' }, undefined],
    ['an empty access_token', { access_token: '', expires_in: 20 }, ''],
    ['a non-object', null, undefined],
  ])('%s is an OptionError', (_, input, received) => {
    const call = () => toRefreshResult(input as any)
    expect(call).toThrow(OptionError)
    expect(call).toThrow(expect.objectContaining({ option: 'tokenResponse.access_token', received }))
  })
})

describe('options', () => {
  it.each([
    [oauthRefresh, { clientId: 'spa' }, 'tokenEndpoint'],
    [oauthRefresh, { tokenEndpoint: TOKEN }, 'clientId'],
    [oauthRefresh, { tokenEndpoint: '', clientId: 'spa' }, 'tokenEndpoint'],
    [oauthRefresh, { tokenEndpoint: TOKEN, clientId: 42 }, 'clientId'],
    [oauthRefresh, { tokenEndpoint: TOKEN, clientId: 'spa', scope: ['openid'] }, 'scope'],
    [oauthRefresh, { tokenEndpoint: TOKEN, clientId: 'spa', fetch: 'fetch' }, 'fetch'],
    [oauthRevoke, { clientId: 'spa' }, 'revocationEndpoint'],
    [oauthRevoke, { revocationEndpoint: REVOKE }, 'clientId'],
    [endSessionUrl, { clientId: 'spa' }, 'endSessionEndpoint'],
    [endSessionUrl, { endSessionEndpoint: '/session/end', clientId: 'spa' }, 'endSessionEndpoint'],
    [endSessionUrl, { endSessionEndpoint: 'https://op.test/session/end' }, 'clientId'],
  ] as const)('%o %j: OptionError for %s', (factory, options, option) => {
    const call = () => (factory as (o: unknown) => unknown)(options)
    expect(call).toThrow(OptionError)
    expect(call).toThrow(expect.objectContaining({ option }))
  })

  it('no options at all: OptionError, not a TypeError', () => {
    expect(() => (oauthRefresh as any)()).toThrow(OptionError)
    expect(() => (oauthRevoke as any)()).toThrow(OptionError)
  })

  it('the functions fit the session options', () => {
    const options: SessionOptions = {
      credentials: 'bearer',
      refresh: refresh(),
      logout: oauthRevoke({ revocationEndpoint: REVOKE, clientId: 'spa' }),
    }
    expect(typeof options.refresh).toBe('function')
    expect(typeof options.logout).toBe('function')
  })
})

describe('endSessionUrl', () => {
  it('builds the RP-initiated logout URL, keeping the endpoint query', () => {
    const url = endSessionUrl({
      endSessionEndpoint: 'https://op.test/session/end?ui=1',
      clientId: 'spa',
      postLogoutRedirectUri: 'https://app.test/bye?x=1&y=2',
      idTokenHint: 'eyJ.x.y',
    })
    const parsed = new URL(url)
    expect(parsed.origin + parsed.pathname).toBe('https://op.test/session/end')
    expect(Object.fromEntries(parsed.searchParams)).toEqual({ ui: '1', client_id: 'spa', post_logout_redirect_uri: 'https://app.test/bye?x=1&y=2', id_token_hint: 'eyJ.x.y' })
  })

  it('leaves out what is not given', () => {
    expect(endSessionUrl({ endSessionEndpoint: 'https://op.test/session/end', clientId: 'spa' })).toBe('https://op.test/session/end?client_id=spa')
  })
})

describe('with a session', () => {
  it('the session hands each refresh the newest refresh token and revokes the last one on signOut', async () => {
    const { createSession } = await import('../../src/index.js')
    let issued = 0
    const presented: string[] = []
    endpoint(TOKEN, (form) => {
      presented.push(form.refresh_token!)
      issued++
      return ok({ access_token: `at-${issued}`, expires_in: 300, refresh_token: `rt-${issued}` })
    })
    const revoked = endpoint(REVOKE, () => new HttpResponse(null, { status: 200 }))
    const session = createSession({
      credentials: 'bearer',
      crossTab: false,
      refresh: refresh(),
      logout: oauthRevoke({ revocationEndpoint: REVOKE, clientId: 'spa' }),
    })
    try {
      session.signIn(toRefreshResult({ access_token: 'at-0', expires_in: 300, refresh_token: 'rt-0' }))
      expect(await session.refresh()).toBe(true)
      expect(await session.refresh()).toBe(true)
      expect(presented).toEqual(['rt-0', 'rt-1'])
      expect(session.authorizationFor('/api')).toBe('Bearer at-2')
      expect(JSON.stringify(session.getState())).not.toContain('rt-')
      await session.signOut()
      expect(revoked.map((r) => r.form)).toEqual([{ token: 'rt-2', token_type_hint: 'refresh_token', client_id: 'spa' }])
    } finally {
      session.destroy()
    }
  })
})
