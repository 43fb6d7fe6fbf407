// @vitest-environment node
// The contract against the msw handlers (setupServer from msw/node) with Node's own fetch.
// The test's jar carries cookies, so the handlers' built-in jar is off.
import { setupServer } from 'msw/node'
import { afterAll, beforeAll } from 'vitest'
import { createMockHandlers } from '../../src/mock/index.js'
import { defineContract } from './contract.js'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

defineContract('msw setupServer', async (options) => {
  const { handlers, control } = createMockHandlers({ ...options, cookieJar: false })
  server.resetHandlers(...handlers)
  return { origin: 'http://mock.test', control, close: async () => server.resetHandlers() }
})
