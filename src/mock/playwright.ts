// session-continuity/mock/playwright: one mock HTTP server per Playwright worker, reset
// before each test.
//
//   import { test, expect } from 'session-continuity/mock/playwright'
//   test.use({ mockOptions: { accessTtl: 5, secureCookies: false, static: { '/': 'public' } } })
//   test('refreshes', async ({ page, mock }) => {
//     await page.goto(mock.url)
//     mock.control.expireAccessTokens()
//   })
import { test as base, expect } from '@playwright/test'
import { startMockServer, type MockServer, type MockServerOptions } from './server.js'
import type { MockControl } from './types.js'

export interface MockFixtures {
  /** The worker's mock server, reset (sessions, counters, faults, latency) before this test. */
  mock: { url: string; control: MockControl }
}

export interface MockWorkerFixtures {
  /** Options of the worker's server (worker-scoped: set with test.use at file level). */
  mockOptions: MockServerOptions
  mockServer: MockServer
}

export const test = base.extend<MockFixtures, MockWorkerFixtures>({
  mockOptions: [{}, { option: true, scope: 'worker' }],
  mockServer: [
    async ({ mockOptions }, use) => {
      const server = await startMockServer(mockOptions)
      await use(server)
      await server.close()
    },
    { scope: 'worker' },
  ],
  mock: async ({ mockServer }, use) => {
    mockServer.control.reset()
    await use({ url: mockServer.url, control: mockServer.control })
  },
})

export { expect }
export type { MockServer, MockServerOptions }
