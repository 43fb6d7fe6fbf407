// @vitest-environment node
// oauthRevoke, toRefreshResult, option checks, endSessionUrl, and the helpers with a real session.
import { HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { OptionError, SessionEndedError, SessionError } from '../../src/index.js'
import type { SessionOptions } from '../../src/index.js'
import { endSessionUrl, oauthRefresh, oauthRevoke, toRefreshResult } from '../../src/oauth/index.js'
import { REVOKE, TOKEN, endpoint, jwt, ok, refresh, rejection } from './setup.js'

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

  it.each([[0], [-5], [1e12], ['soon']])('an expires_in of %j is clamped into (0, 10 years], so the rotated refresh token is kept', (expires_in) => {
    const result = toRefreshResult({ access_token: 'at', expires_in: expires_in as number, refresh_token: 'rt-2' })
    expect(result).toMatchObject({ refreshToken: 'rt-2' })
    expect(result!.expiresIn).toBeGreaterThan(0)
    expect(result!.expiresIn).toBeLessThanOrEqual(315_360_000)
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
    [endSessionUrl, { endSessionEndpoint: 'javascript:alert(1)//', clientId: 'spa' }, 'endSessionEndpoint'],
    [endSessionUrl, { endSessionEndpoint: 'data:text/html,x', clientId: 'spa' }, 'endSessionEndpoint'],
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

describe('token_type (RFC 6749 §7.1: a token of a type the client does not understand is not used)', () => {
  it.each([['Bearer'], ['bearer'], ['BEARER'], [undefined]])('%j is taken as a bearer token', (token_type) => {
    expect(toRefreshResult({ access_token: 'at', expires_in: 20, token_type })).toEqual({ accessToken: 'at', expiresIn: 20 })
  })

  it.each([['DPoP'], ['mac'], ['N_A']])('a %s token from the code exchange is an OptionError naming token_type, without the token', (token_type) => {
    const call = () => toRefreshResult({ access_token: 'at-secret', expires_in: 20, refresh_token: 'rt-secret', token_type })
    expect(call).toThrow(OptionError)
    expect(call).toThrow(expect.objectContaining({ option: 'tokenResponse.token_type', received: token_type }))
    expect(() => call()).toThrow(expect.not.objectContaining({ message: expect.stringMatching(/secret/) }))
  })

  it('a DPoP token from a refresh ends the session (sent as Bearer, every request would 401 and refresh again)', async () => {
    endpoint(TOKEN, () => ok({ access_token: 'at-secret', expires_in: 20, refresh_token: 'rt-2', token_type: 'DPoP' }))
    const error = await rejection(refresh()({ refreshToken: 'rt-1' }))
    expect(error).toBeInstanceOf(SessionEndedError)
    expect(error.status).toBe(200)
    expect(error.reason).toBe('refreshFailed')
    expect(error.message).not.toMatch(/secret|rt-/)
  })
})

describe('endSessionUrl: post_logout_redirect_uri', () => {
  it.each([['javascript:alert(document.domain)'], ['data:text/html,<script>alert(1)</script>'], ['/bye'], ['//evil.example/x'], ['not a url']])(
    '%j is an OptionError (an absolute http(s) URL only, as the OP registers it)',
    (postLogoutRedirectUri) => {
      const call = () => endSessionUrl({ endSessionEndpoint: 'https://op.test/session/end', clientId: 'spa', postLogoutRedirectUri })
      expect(call).toThrow(OptionError)
      expect(call).toThrow(expect.objectContaining({ option: 'postLogoutRedirectUri' }))
    },
  )

  it('an absolute http(s) one is sent as given, encoded once', () => {
    const url = endSessionUrl({ endSessionEndpoint: 'https://op.test/session/end', clientId: 'my spa&x', postLogoutRedirectUri: 'https://app.test/bye?a=1&b=ä#top' })
    expect(url).toBe('https://op.test/session/end?client_id=my+spa%26x&post_logout_redirect_uri=https%3A%2F%2Fapp.test%2Fbye%3Fa%3D1%26b%3D%C3%A4%23top')
  })
})
