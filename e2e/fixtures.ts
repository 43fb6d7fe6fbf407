// Shared e2e fixtures: one mock server per worker (serving the built bundles and the test
// pages), reset before each test, and helpers to open session pages.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test'
import { startMockServer } from '../src/mock/server.js'

type MockServer = Awaited<ReturnType<typeof startMockServer>>

export interface PageOptions {
  [key: string]: unknown
}

export interface OpenOptions {
  context?: BrowserContext
  /** Another server than the default cookie-mode one (e.g. bearerServer). */
  server?: MockServer
  /** Don't call session.start() on load (the test signs in itself). */
  noStart?: boolean
}

const serve = (credentials: 'cookie' | 'bearer') => async ({}, use: (s: MockServer) => Promise<void>) => {
  const server = await startMockServer({
    port: 0,
    credentials,
    accessTtl: 60,
    static: { '/dist/': 'dist', '/e2e/': 'e2e/pages', '/react/': 'demo/react/dist', '/vue/': 'demo/vue/dist', '/': 'demo' },
  })
  await use(server)
  await server.close()
}

export const test = base.extend<
  { server: MockServer; bearerServer: MockServer; openSession: (options?: PageOptions, open?: OpenOptions) => Promise<Page> },
  { cookieWorkerServer: MockServer; bearerWorkerServer: MockServer }
>({
  cookieWorkerServer: [serve('cookie'), { scope: 'worker' }],
  bearerWorkerServer: [serve('bearer'), { scope: 'worker' }],
  server: async ({ cookieWorkerServer }, use) => {
    cookieWorkerServer.control.reset()
    await use(cookieWorkerServer)
  },
  bearerServer: async ({ bearerWorkerServer }, use) => {
    bearerWorkerServer.control.reset()
    await use(bearerWorkerServer)
  },
  openSession: async ({ server, context }, use) => {
    await use(async (options = {}, open = {}) => {
      const page = await (open.context ?? context).newPage()
      const query = `options=${encodeURIComponent(JSON.stringify(options))}${open.noStart ? '&nostart' : ''}`
      await page.goto(`${(open.server ?? server).url}/e2e/harness.html?${query}`)
      await page.evaluate(() => (window as any).ready)
      return page
    })
  },
})

export { expect }

export { stateOf, eventsOf } from './page-state.js'
