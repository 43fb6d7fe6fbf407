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
