// @vitest-environment node
import { expect, it } from 'vitest'

it('imports and creates a session in Node without window, document or location', async () => {
  expect(typeof (globalThis as any).window).toBe('undefined')
  const api = await import('../../src/index.js')
  const session = api.createSession({ fetch: async () => Response.json({ expiresIn: 60 }) })
  expect(session.getState().status).toBe('unknown')
  await session.start()
  expect(session.getState().status).toBe('authenticated')
  session.destroy()
})

it('in Node, a session whose relative refreshUrl cannot resolve stays unknown: no request, no timer', async () => {
  const { vi } = await import('vitest')
  vi.useFakeTimers()
  const calls: unknown[] = []
  vi.stubGlobal('fetch', async (...args: unknown[]) => (calls.push(args), Response.json({ expiresIn: 60 })))
  const api = await import('../../src/index.js')
  const session = api.createSession({ refreshUrl: '/auth/refresh' })
  expect((await session.start()).status).toBe('unknown')
  expect(calls).toEqual([])
  expect(vi.getTimerCount()).toBe(0)
  // An absolute refreshUrl works in Node (tests against a mock server, server-side jobs).
  const absolute = api.createSession({ refreshUrl: 'http://localhost/auth/refresh' })
  expect((await absolute.start()).status).toBe('authenticated')
  absolute.destroy()
  session.destroy()
  vi.unstubAllGlobals()
  vi.useRealTimers()
})
