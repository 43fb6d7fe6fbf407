// Cookie mode against a real express-session server (rolling: true, maxAge 4 s, MemoryStore).
// Server sessions expire on the server's real clock, so these tests let real time pass: two
// gaps a little longer than maxAge, kept short.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test'
import { startCookieServer, type CookieServer } from './idp/express.js'

const test = base.extend<{ server: CookieServer }, { serverWorker: CookieServer }>({
  serverWorker: [
    async ({}, use) => {
      const server = await startCookieServer({ maxAge: 4_000 })
      await use(server)
      await server.close()
    },
    { scope: 'worker' },
  ],
  server: async ({ serverWorker }, use) => {
    serverWorker.reset()
    await use(serverWorker)
  },
})

async function openTab(context: BrowserContext, server: CookieServer): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${server.url}/e2e/express-session.html`)
  await page.evaluate(() => (window as any).ready)
  return page
}

async function signedInTabs(context: BrowserContext, server: CookieServer, count: number) {
  const first = await openTab(context, server)
  expect((await stateOf(first)).status).toBe('signedOut') // no session yet: /auth/refresh said 401
  await first.evaluate(() => (window as any).login())
  expect((await stateOf(first)).status).toBe('authenticated')
  const pages = [first]
  for (let i = 1; i < count; i++) {
    const page = await openTab(context, server)
    expect((await stateOf(page)).status).toBe('authenticated')
    pages.push(page)
  }
  return pages
}

const stateOf = (page: Page) => page.evaluate(() => (window as any).session.getState())
const api = (page: Page, label: string) => page.evaluate((l) => (window as any).session.fetch(`/api/${l}`).then((r: Response) => r.status), label)
const elapse = (ms: number) => new Promise((r) => setTimeout(r, ms))

test.describe('cookie mode with express-session', () => {
  test('activity over two maxAge periods with no API call in between: no 401, one server session kept alive by the refreshes', async ({ context, server }) => {
    const pages = await signedInTabs(context, server, 2)
    // A control client signed in at the same time that never refreshes: its session expires.
    const control = await fetch(`${server.url}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"username":"control"}' })
    const controlCookie = control.headers.get('set-cookie')!.split(';')[0]!
    const gap = server.maxAge + 300
    const started = Date.now()
    const statuses: number[] = []
    for (let period = 0; period < 3; period++) {
      if (period) await elapse(gap)
      statuses.push(...(await Promise.all(pages.map((page, tab) => api(page, `p${period}t${tab}`)))))
      if (period == 1) {
        const late = await fetch(`${server.url}/api/control`, { headers: { Cookie: controlCookie } })
        expect(late.status, 'a session nobody refreshed is gone after maxAge').toBe(401)
      }
    }
    expect(Date.now() - started).toBeGreaterThan(2 * server.maxAge)
    expect(statuses).toEqual(Array(6).fill(200))
    expect(server.counters.api).toEqual({ 200: 6, 401: 1 }) // the one 401 is the control's
    for (const page of pages) {
      expect(await page.evaluate(() => (window as any).seen401)).toBe(0)
      expect((await stateOf(page)).status).toBe('authenticated')
    }
    // Only refreshes (at half the lifetime) can have kept the session through gaps longer than maxAge.
    expect(server.counters.refresh[200]).toBeGreaterThanOrEqual(2)
    expect(server.counters.refresh[401]).toBe(1) // the first tab's start-up, before login
    expect(server.sessionIds.size).toBe(1)
    expect(server.counters.destroys).toBe(0)
    console.log(`measured (${test.info().project.name}): ${Date.now() - started} ms with maxAge ${server.maxAge} ms: ${server.counters.refresh[200]} refreshes, 0 x 401 in the tabs, 1 server session`)
  })

  test('logout in one tab: every tab signed out, the server session destroyed exactly once', async ({ context, server }) => {
    const pages = await signedInTabs(context, server, 3)
    expect(await server.storedSessions()).toBe(1)
    await pages[1]!.evaluate(() => (window as any).session.signOut())
    for (const page of pages) await expect.poll(async () => (await stateOf(page)).status).toBe('signedOut')
    for (const [i, page] of pages.entries()) {
      expect(await stateOf(page)).toMatchObject({ reason: 'logout', fromOtherTab: i != 1 })
      expect(await api(page, 'after-logout')).toBe(401)
    }
    expect(server.counters.logoutRequests).toBe(1)
    expect(server.counters.destroys).toBe(1)
    expect(await server.storedSessions()).toBe(0)
    expect((await context.cookies(server.url)).map((c) => c.name)).not.toContain('sid')
  })
})
