// Where session.fetch's credentials go: the token and cookies to the page's origin and the
// allowed tokenOrigins only, judged by the URL the request really goes to (a Request from
// another realm, an injected <base href>).
import { describe, expect, it } from 'vitest'
import { createSession } from '../../src/index.js'
import { signedIn, track } from '../helpers/sessions.js'
import { createStubServer } from '../helpers/stub-server.js'

describe('session.fetch: where credentials go', () => {
  it("bearer mode sends the token to tokenOrigins without cookies (a token API's CORS need not allow credentials)", async () => {
    const seen: Array<[string, RequestCredentials | undefined, string | null]> = []
    const session = createSession({
      credentials: 'bearer',
      crossTab: false,
      tokenOrigins: ['https://api.example.com'],
      fetch: async (input, init) => {
        const url = String(input)
        if (url === '/auth/refresh') return Response.json({ expiresIn: 300, accessToken: 'tok-1' })
        seen.push([url, init?.credentials, new Headers(init?.headers).get('Authorization')])
        return new Response(null, { status: 200 })
      },
    })
    track(session)
    await session.start()
    await session.fetch('https://api.example.com/b')
    await session.fetch('https://api.example.com/c', { credentials: 'include' }) // the caller's own choice stays
    expect(seen).toEqual([
      ['https://api.example.com/b', undefined, 'Bearer tok-1'],
      ['https://api.example.com/c', 'include', 'Bearer tok-1'],
    ])
  })

  it('a Request from another realm (fails instanceof Request) is classified by its own URL', async () => {
    const server = createStubServer()
    const seen: Array<[unknown, string | null]> = []
    const session = await signedIn(server, {
      fetch: async (input, init) => (String(input).includes('/auth/') ? server.fetch(input, init) : (seen.push([input, new Headers(init?.headers).get('Authorization')]), new Response('{}'))),
    })
    // What an iframe's Request looks like from here: a Request in all but its prototype.
    const foreign = { url: 'https://evil.example/collect', method: 'GET', headers: new Headers(), body: null } as unknown as Request
    await session.fetch(foreign)
    expect(seen).toEqual([[foreign, null]])
    expect(session.authorizationFor('https://evil.example/collect')).toBeNull()
  })

  it('an injected <base href> on another origin makes relative URLs foreign (fetch would resolve them there)', async () => {
    const server = createStubServer()
    const seen: Array<string | null> = []
    const session = await signedIn(server, {
      fetch: async (input, init) => (String(input).includes('/auth/') ? server.fetch(input, init) : (seen.push(new Headers(init?.headers).get('Authorization')), new Response('{}'))),
    })
    const base = document.createElement('base')
    base.href = 'https://evil.example/'
    document.head.appendChild(base)
    try {
      await session.fetch('/api/me')
      await session.fetch('api/me')
      expect(seen).toEqual([null, null])
      expect(session.isTrustedUrl('/api/me')).toBe(false)
    } finally {
      base.remove()
    }
    // A same-origin base keeps relative URLs the page's.
    expect(session.isTrustedUrl('/api/me')).toBe(true)
    base.href = '/app/'
    document.head.appendChild(base)
    try {
      expect(session.isTrustedUrl('api/me')).toBe(true)
      expect(session.authorizationFor('/api/me')).toMatch(/^Bearer /)
    } finally {
      base.remove()
    }
  })
})
