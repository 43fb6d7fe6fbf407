// The fixture users import from 'session-continuity/mock/playwright', used as a user would.
import { test, expect } from '../src/mock/playwright.js'

test.use({ mockOptions: { accessTtl: 30, static: { '/dist/': 'dist', '/e2e/': 'e2e/pages' } } })

test('the mock fixture serves pages, resets between tests, and its controls drive the session', async ({ page, mock }) => {
  expect(mock.control.counters).toEqual({ logins: 0, logouts: 0, refreshCalls: 0, refreshSuccesses: 0, reuseDetections: 0 })
  await page.goto(`${mock.url}/e2e/harness.html?nostart`)
  await page.evaluate(() => (window as any).login())
  mock.control.expireAccessTokens()
  mock.control.failNextRefresh({ status: 503, retryAfter: 1 })
  const first = await page.evaluate(() => (window as any).session.fetch('/api/me').then((r: Response) => r.status))
  expect(first).toBe(401) // the refresh failed transiently: the 401 comes back, the session stays
  expect(await page.evaluate(() => (window as any).session.getState().status)).toBe('authenticated')
  await expect.poll(() => page.evaluate(() => (window as any).session.fetch('/api/me').then((r: Response) => r.status))).toBe(200)
  expect(mock.control.counters.reuseDetections).toBe(0)
})

test('a second test starts from a clean server', async ({ mock }) => {
  expect(mock.control.counters.logins).toBe(0)
})
