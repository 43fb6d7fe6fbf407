// Which 401'd requests are refreshed and replayed: a request's `replay: false` returns the 401
// as it is, and the session option `replay({ url, method })` decides for the rest; a request's
// own `replay` wins over the rule. Every body kind session.fetch accepts, both ways.
import { describe, expect, it, vi } from 'vitest'
import { createSession } from '../../src/index.js'
import type { SessionEvents, SessionOptions, SessionRequestInit } from '../../src/index.js'
import { createStubServer, type StubServer } from '../helpers/stub-server.js'
import { track } from '../helpers/sessions.js'


async function signedIn(server: StubServer, options: SessionOptions = {}) {
  const session = createSession({ credentials: 'bearer', crossTab: false, fetch: server.fetch, ...options })
  track(session)
  await session.start()
  const skipped: SessionEvents['replaySkipped'][] = []
  session.on('replaySkipped', (e) => skipped.push(e))
  return { session, skipped }
}

const URL_ = 'http://app.test/api/echo'
const bytes = (text: string) => [...new TextEncoder().encode(text)]
const stream = (text: string) =>
  new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode(text))
      c.close()
    },
  })

interface Kind {
  name: string
  /** The arguments of session.fetch for a request with this body kind. */
  call(method: string, extra: SessionRequestInit): [RequestInfo, SessionRequestInit]
  /** What the echo endpoint must have received on a replay (null: never replayable). */
  expected: ((echoed: Uint8Array) => void) | null
}
const sameBytes = (reference: () => BodyInit) => async (echoed: Uint8Array) =>
  expect([...echoed]).toEqual([...new Uint8Array(await new Response(reference()).arrayBuffer())])
const body = (name: string, make: () => BodyInit, expected: Kind['expected']): Kind => ({
  name,
  call: (method, extra) => [URL_, { method, body: make(), ...extra }],
  expected,
})
const form = () => {
  const f = new FormData()
  f.set('title', 'draft ✓')
  f.set('file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt')
  return f
}
const KINDS: Kind[] = [
  body('string', () => 'plain text ✓', sameBytes(() => 'plain text ✓')),
  body('JSON', () => JSON.stringify({ a: 1, b: [true, null] }), sameBytes(() => JSON.stringify({ a: 1, b: [true, null] }))),
  body('URLSearchParams', () => new URLSearchParams({ q: 'a b&c', n: '1' }), sameBytes(() => new URLSearchParams({ q: 'a b&c', n: '1' }))),
  body('Blob', () => new Blob([new Uint8Array([0, 1, 2, 255])], { type: 'application/x-bin' }), (e) => expect([...e]).toEqual([0, 1, 2, 255])),
  body('ArrayBuffer', () => new Uint8Array([9, 8, 7, 0, 255]).buffer, (e) => expect([...e]).toEqual([9, 8, 7, 0, 255])),
  body('Uint8Array', () => new Uint8Array([1, 2, 3]), (e) => expect([...e]).toEqual([1, 2, 3])),
  body('FormData', form, (e) => {
    const text = new TextDecoder().decode(e)
    expect(text).toContain('draft ✓')
    expect(text).toContain('hello')
  }),
  {
    name: 'Request with a body',
    call: (method, extra) => [new Request(URL_, { method, body: 'from a Request' }), extra],
    expected: (e) => expect([...e]).toEqual(bytes('from a Request')),
  },
  {
    name: 'ReadableStream',
    call: (method, extra) => [URL_, { method, body: stream('streamed'), duplex: 'half', ...extra } as SessionRequestInit],
    expected: null,
  },
]

describe.each(KINDS)('a $name body', (kind) => {
  it('replay: false returns the 401 as it is, unread, says why, and starts no refresh', async () => {
    const server = createStubServer()
    const { session, skipped } = await signedIn(server)
    server.expire()
    const res = await session.fetch(...kind.call('POST', { replay: false }))
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'invalid_token' })
    expect(skipped).toEqual([{ url: URL_, reason: 'notReplayable' }])
    expect(server.calls.refresh).toBe(1) // start() only: the app retries this request itself
    expect(server.calls.api).toBe(1) // sent once, never replayed
    expect(server.echoed).toHaveLength(0)
  })

  it('the replay rule saying no returns the 401 as it is; it is asked with the URL and the method', async () => {
    const server = createStubServer()
    const asked: Array<{ url: string; method: string }> = []
    const { session, skipped } = await signedIn(server, { replay: (r) => (asked.push(r), r.method !== 'POST') })
    server.expire()
    const res = await session.fetch(...kind.call('post', {}))
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'invalid_token' })
    expect(asked).toEqual([{ url: URL_, method: 'POST' }])
    expect(skipped).toEqual([{ url: URL_, reason: 'notReplayable' }])
    expect(server.calls.refresh).toBe(1)
    expect(server.calls.api).toBe(1)
  })

  it(kind.expected ? 'the replay rule saying yes refreshes and replays it intact' : 'the replay rule saying yes still cannot replay it (unreplayableBody)', async () => {
    const server = createStubServer()
    const asked: Array<{ url: string; method: string }> = []
    const { session, skipped } = await signedIn(server, { replay: (r) => (asked.push(r), r.method !== 'POST') })
    server.expire()
    const res = await session.fetch(...kind.call('PUT', {}))
    expect(asked).toEqual([{ url: URL_, method: 'PUT' }])
    if (!kind.expected) {
      expect(res.status).toBe(401)
      expect(skipped).toEqual([{ url: URL_, reason: 'unreplayableBody' }])
      expect(server.calls.refresh).toBe(1)
      return
    }
    expect(res.status).toBe(200)
    expect(skipped).toEqual([])
    expect(server.calls.refresh).toBe(2)
    expect(server.calls.api).toBe(2) // the 401, then the one replay
    expect(server.echoed).toHaveLength(1)
    await kind.expected(server.echoed[0]!)
  })

  it("a request's own replay: true wins over the rule", async () => {
    const server = createStubServer()
    const { session, skipped } = await signedIn(server, { replay: () => false })
    server.expire()
    const res = await session.fetch(...kind.call('POST', { replay: true }))
    if (!kind.expected) {
      expect(res.status).toBe(401)
      expect(skipped).toEqual([{ url: URL_, reason: 'unreplayableBody' }])
      return
    }
    expect(res.status).toBe(200)
    expect(skipped).toEqual([])
    expect(server.echoed).toHaveLength(1)
    await kind.expected(server.echoed[0]!)
  })
})

describe('the replay rule', () => {
  it('is asked about 401s only, never about other answers or foreign origins', async () => {
    const server = createStubServer()
    const rule = vi.fn(() => true)
    const { session } = await signedIn(server, { replay: rule })
    expect((await session.fetch('/api/me')).status).toBe(200)
    await session.fetch('https://other.example.org/api/x') // 401 from the stub, no credentials sent
    expect(rule).not.toHaveBeenCalled()
    server.expire()
    expect((await session.fetch('/api/me')).status).toBe(200)
    expect(rule).toHaveBeenCalledTimes(1)
    expect(rule).toHaveBeenCalledWith({ url: '/api/me', method: 'GET' })
  })

  it('a skipped request leaves the session as it was: the next request refreshes and replays', async () => {
    const server = createStubServer()
    const { session, skipped } = await signedIn(server, { replay: ({ url }) => !url.includes('/api/once') })
    server.expire()
    expect((await session.fetch('/api/once', { method: 'POST', body: 'x' })).status).toBe(401)
    expect(session.getState().status).toBe('authenticated')
    expect((await session.fetch('/api/again')).status).toBe(200)
    expect(skipped).toEqual([{ url: '/api/once', reason: 'notReplayable' }])
    expect(server.calls.refresh).toBe(2)
  })
})
