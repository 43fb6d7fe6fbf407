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

  test('proactive refresh keeps an active user free of 401s over several access lifetimes', async ({ openSession, server }) => {
    const page = await openSession({ crossTab: false, refreshBefore: 10_000 }, { noStart: true })
    await page.clock.install()
    await page.evaluate(() => (window as any).login())
    for (let i = 0; i < 12; i++) {
      // 4 minutes in all (access tokens live 60 s), in 1 s steps so real network replies
      // (the refresh call) land between the clock's jumps.
      for (let step = 0; step < 20; step++) await page.clock.runFor(1_000)
      const status = await page.evaluate(() => (window as any).session.fetch('/api/me').then((r: Response) => r.status))
      expect(status).toBe(200)
    }
    expect(await page.evaluate(() => (window as any).seen401)).toBe(0)
    expect(server.control.counters.refreshSuccesses).toBeGreaterThanOrEqual(4)
  })
})
