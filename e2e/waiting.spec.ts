// Requests started while a refresh is in progress wait for it and go out once with the new
// credential, in one tab and across tabs (another tab said `refreshing: true`). The identity
// provider is made slow (the mock's refresh delay, 500 ms) and the access tokens expired, so
// any request that went out early would be answered 401. bench/requests-during-refresh.mjs
// measures the same in both browsers for bench/RESULTS.md.
import type { Page } from '@playwright/test'
import { test, expect, stateOf } from './fixtures.js'

const login = (page: Page) => page.evaluate(() => (window as any).login())

/** What the server answered this page on /api/ (Playwright's view of the network). */
function apiAnswers(page: Page) {
  const seen: Array<{ url: string; status: number }> = []
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) seen.push({ url: r.url(), status: r.status() })
  })
  return seen
}
const harness = (page: Page) => page.evaluate(() => ({ apiCalls: (window as any).apiCalls as number, seen401: (window as any).seen401 as number }))

/** In the page: when this tab first sees `refreshing: true`, 20 requests start (all at once). */
const armTwenty = (page: Page) =>
  page.evaluate(() => {
    const w = window as any
    w.twenty = new Promise((resolve) => {
      const fire = () => resolve(Promise.all(Array.from({ length: 20 }, (_, i) => w.session.fetch(`/api/me?i=${i}`).then((r: Response) => r.status))))
      if (w.session.getState().refreshing) return fire()
      const off = w.session.subscribe((s: any) => s.refreshing && (off(), fire()))
    })
  })

for (const mode of ['cookie', 'bearer'] as const) {
  test.describe(`${mode} mode: requests started during a 500 ms refresh`, () => {
    test('one tab: 20 requests wait for it: 0 401s, each sent once, all 200', async ({ openSession, server, bearerServer }) => {
      const mock = mode === 'cookie' ? server : bearerServer
      const page = await openSession({ credentials: mode }, { server: mock, noStart: true })
      await login(page)
      const answers = apiAnswers(page)
      mock.control.setRefreshDelay(500)
      mock.control.expireAccessTokens()
      const before = mock.control.counters.refreshCalls
      await armTwenty(page)
      const refreshed = await page.evaluate(() => (window as any).session.refresh())
      const statuses: number[] = await page.evaluate(() => (window as any).twenty)
      expect(refreshed).toBe(true)
      expect(statuses).toEqual(Array(20).fill(200))
      expect(await harness(page)).toEqual({ apiCalls: 20, seen401: 0 })
      expect(answers.filter((a) => a.status === 401)).toEqual([])
      expect(new Set(answers.map((a) => a.url)).size).toBe(20)
      expect(answers).toHaveLength(20)
      expect(mock.control.counters.refreshCalls - before).toBe(1)
    })

    test("3 tabs: the others wait for the refreshing tab's result: 0 401s, 20 API calls per tab, 1 refresh", async ({ openSession, server, bearerServer }) => {
      const mock = mode === 'cookie' ? server : bearerServer
      const first = await openSession({ credentials: mode }, { server: mock, noStart: true })
      await login(first)
      const tabs = [first, await openSession({ credentials: mode }, { server: mock }), await openSession({ credentials: mode }, { server: mock })]
      for (const t of tabs) expect(await stateOf(t)).toMatchObject({ status: 'authenticated', refreshing: false })
      const answers = tabs.map(apiAnswers)
      mock.control.setRefreshDelay(500)
      mock.control.expireAccessTokens()
      const before = mock.control.counters
      for (const t of tabs) await armTwenty(t)
      // Tab 1 refreshes; tabs 2 and 3 start their requests when its `refreshing: true` arrives.
      expect(await first.evaluate(() => (window as any).session.refresh())).toBe(true)
      const statuses = await Promise.all(tabs.map((t) => t.evaluate(() => (window as any).twenty)))
      expect(statuses).toEqual(Array(3).fill(Array(20).fill(200)))
      expect(await Promise.all(tabs.map(harness))).toEqual(Array(3).fill({ apiCalls: 20, seen401: 0 }))
      for (const a of answers) {
        expect(a.filter((x) => x.status === 401)).toEqual([])
        expect(a).toHaveLength(20)
        expect(new Set(a.map((x) => x.url)).size).toBe(20)
      }
      expect(mock.control.counters.refreshCalls - before.refreshCalls).toBe(1)
      expect(mock.control.counters.reuseDetections).toBe(0)
      const versions = await Promise.all(tabs.map(async (t) => (await stateOf(t)).version))
      expect(new Set(versions).size).toBe(1)
    })
  })
}

test('a request to a foreign origin never waits for a refresh', async ({ openSession, server, context }) => {
  const page = await openSession({}, { noStart: true })
  await login(page)
  // The refresh is held until the foreign request has reached the network: if the foreign
  // request waited for the refresh, neither would ever finish.
  let foreignSent!: () => void
  const foreignSeen = new Promise<void>((resolve) => (foreignSent = resolve))
  await context.route('http://foreign.test/**', async (route) => {
    foreignSent()
    await route.fulfill({ status: 200, body: 'ok', headers: { 'Access-Control-Allow-Origin': '*' } })
  })
  await context.route(/\/auth\/refresh$/, async (route) => {
    await foreignSeen
    await route.continue()
  })
  const order: string[] = await page.evaluate(async () => {
    const w = window as any
    const order: string[] = []
    const refresh = w.session.refresh().then(() => order.push('refresh done'))
    const foreign = w.session.fetch('http://foreign.test/data').then((r: Response) => order.push(`foreign ${r.status}`))
    await Promise.all([refresh, foreign])
    return order
  })
  expect(order).toEqual(['foreign 200', 'refresh done'])
  expect(server.control.counters.refreshSuccesses).toBe(1)
})
