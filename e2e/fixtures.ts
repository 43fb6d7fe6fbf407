// Shared e2e fixtures: one mock server per worker (serving the built bundles and the test
// pages), reset before each test, and helpers to open session pages.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test'
import { startMockServer } from '../src/mock/server.js'

type MockServer = Awaited<ReturnType<typeof startMockServer>>

export interface PageOptions {
  [key: string]: unknown
}

export const test = base.extend<
  { server: MockServer; openSession: (options?: PageOptions, context?: BrowserContext, extra?: string) => Promise<Page> },
  { workerServer: MockServer }
>({
  workerServer: [
    async ({}, use) => {
      const server = await startMockServer({
        port: 0,
        accessTtl: 60,
        secureCookies: false,
        static: { '/dist/': 'dist', '/e2e/': 'e2e/pages', '/': 'demo' },
      })
      await use(server)
      await server.close()
    },
    { scope: 'worker' },
  ],
  server: async ({ workerServer }, use) => {
    workerServer.control.reset()
    await use(workerServer)
  },
  openSession: async ({ server, context }, use) => {
    await use(async (options = {}, ctx = context, extra = '') => {
      const page = await ctx.newPage()
      await page.goto(`${server.url}/e2e/harness.html?options=${encodeURIComponent(JSON.stringify(options))}${extra}`)
      await page.evaluate(() => (window as any).ready)
      return page
    })
  },
})

export { expect }

/** Reads a value from the page's session state. */
export const stateOf = (page: Page) => page.evaluate(() => (window as any).session.getState())
export const eventsOf = (page: Page, name?: string) =>
  page.evaluate((n) => (window as any).events.filter((e: any) => !n || e.name === n), name)
