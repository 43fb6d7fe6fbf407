// Tabs whose activity is shared reach the idle deadline at the same instant. One of them
// talks to the server; every other learns of it by broadcast or by the sign-out marker it
// holds before releasing the end lock (the lock grant can overtake the broadcast, which is
// what sent a second logout in Chromium).
import type { Page } from '@playwright/test'
import { test, expect, stateOf } from './fixtures.js'

const idle = { timeout: 60_000, warnBefore: 10_000 }
const REPEATS = 20

/**
 * Resolves once every tab that queued for the end lock has finished with it (its logout call
 * included): Web Locks grant in order, so a later request is granted after all of them.
 */
const endLockDrained = (page: Page) => page.evaluate(() => navigator.locks.request('session-continuity:end', () => {}))

for (const count of [2, 3]) {
  test(`${count} tabs reaching the idle deadline together: one logout request, every tab out with reason idle (${REPEATS} runs)`, async ({ openSession, server, browser }) => {
    test.setTimeout(240_000)
    for (let run = 0; run < REPEATS; run++) {
      const context = await browser.newContext()
      await context.clock.install()
      server.control.reset()
      const tabs = [await openSession({ idle }, { noStart: true, context })]
      await tabs[0]!.evaluate(() => (window as any).login())
      for (let i = 1; i < count; i++) tabs.push(await openSession({ idle }, { context }))
      await context.clock.runFor(idle.timeout + 1_000)
      await expect.poll(async () => (await Promise.all(tabs.map(stateOf))).map((s) => s.status), { message: `run ${run}` }).toEqual(Array(count).fill('signedOut'))
      await endLockDrained(tabs[0]!)
      const states = await Promise.all(tabs.map(stateOf))
      expect(server.control.counters.logouts, `run ${run}: logout requests`).toBe(1)
      expect(states.map((s) => s.reason)).toEqual(Array(count).fill('idle'))
      // Exactly one tab ended it; the followers say it came from another tab.
      expect(states.filter((s) => s.fromOtherTab)).toHaveLength(count - 1)
      await context.close()
    }
  })
}
