import { startMockServer } from '../src/mock/server.js'
import { test, expect, stateOf, eventsOf } from './fixtures.js'

test.describe('silent refresh against the real mock server', () => {
  test('a 401 refreshes silently and replays the POST with its body', async ({ openSession, server }) => {
    const page = await openSession({ crossTab: false }, { noStart: true })
    await page.evaluate(() => (window as any).login())
    expect((await stateOf(page)).status).toBe('authenticated')
    server.control.expireAccessTokens()
    const echoed = await page.evaluate(async () => {
      const body = JSON.stringify({ draft: 'keep me ✓', n: [1, 2, 3] })
      const res = await (window as any).session.fetch('/api/echo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
      return { status: res.status, text: await res.text(), same: body }
    })
    expect(echoed.status).toBe(200)
    expect(echoed.text).toBe(echoed.same)
    expect(server.control.counters).toMatchObject({ refreshCalls: 1, refreshSuccesses: 1, reuseDetections: 0 })
    expect(await eventsOf(page, 'refreshed')).toHaveLength(1)
  })

  test('bearer mode: refresh and replay work, and the token is never written to storage', async ({ openSession, bearerServer }) => {
    const page = await openSession({ credentials: 'bearer' }, { server: bearerServer, noStart: true })
    await page.evaluate(() => (window as any).login())
    bearerServer.control.expireAccessTokens()
    const status = await page.evaluate(() => (window as any).session.fetch('/api/me').then((r: Response) => r.status))
    expect(status).toBe(200)
    expect(bearerServer.control.counters).toMatchObject({ refreshCalls: 1, refreshSuccesses: 1 })
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)
    expect(storage).not.toMatch(/[0-9a-f]{40}/)
  })

  test('proactive refresh keeps an active user free of 401s over several access lifetimes', async ({ context }) => {
    // The server's clock follows the page clock, so access tokens really expire every 60 s
    // of fake time: without the proactive refresh, requests would see 401s.
    let offset = 0
    const server = await startMockServer({ accessTtl: 60, now: () => Date.now() + offset, static: { '/dist/': 'dist', '/e2e/': 'e2e/pages' } })
    try {
      const page = await context.newPage()
      await page.clock.install()
      await page.goto(`${server.url}/e2e/harness.html?nostart&options=${encodeURIComponent(JSON.stringify({ crossTab: false, refreshBefore: 10_000 }))}`)
      await page.evaluate(() => (window as any).login())
      const tick = async (ms: number) => {
        offset += ms
        await page.clock.runFor(ms)
      }
      for (let i = 0; i < 12; i++) {
        // 4 minutes in all, in 1 s steps so real network replies land between the jumps.
        for (let step = 0; step < 20; step++) await tick(1_000)
        const status = await page.evaluate(() => (window as any).session.fetch('/api/me').then((r: Response) => r.status))
        expect(status).toBe(200)
      }
      expect(await page.evaluate(() => (window as any).seen401)).toBe(0)
      expect(server.control.counters.refreshSuccesses).toBeGreaterThanOrEqual(4)
      // The control: the same session with the proactive refresh switched off sees the expiry.
      await page.evaluate(() => (window as any).session.destroy())
      await tick(61_000)
      expect(await page.evaluate(() => fetch('/api/me').then((r) => r.status))).toBe(401)
    } finally {
      await server.close()
    }
  })
})
