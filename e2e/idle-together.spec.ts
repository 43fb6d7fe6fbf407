// Tabs whose activity is shared reach the idle deadline at the same instant. One of them
// talks to the server; every other learns of it by broadcast or by the sign-out marker it
// holds before releasing the end lock (the lock grant can overtake the broadcast, which is
// what sent a second logout in Chromium).
import type { Page } from '@playwright/test'
import { test, expect, stateOf } from './fixtures.js'

// Idle comes before the first proactive refresh (the fixture's access tokens live 60 s, refreshed
// at 30 s): fast-forwarding the page clock through a refresh would time out its lock request
// while the browser grants it in real time, which says nothing about sign-out.
const idle = { timeout: 20_000, warnBefore: 5_000 }
// With the diagnostics part, a failing run prints each tab's timeline.
const options = { idle, diagnostics: true }
const REPEATS = 20

/**
 * Resolves once every tab that queued for the end lock has finished with it (its logout call
 * included): Web Locks grant in order, so a later request is granted after all of them.
 */
const endLockDrained = (page: Page) => page.evaluate(() => navigator.locks.request('session-continuity:end', () => {}))

for (const count of [2, 3]) {
  test(`${count} tabs reaching the idle deadline together: one logout request, every tab out with reason idle (${REPEATS} runs)`, async ({ openSession, server, browser }) => {
    test.setTimeout(600_000) // 20 runs, each opening a context and its tabs (slow on a loaded 2-core machine)
    for (let run = 0; run < REPEATS; run++) {
      const context = await browser.newContext()
      await context.clock.install()
      server.control.reset()
      const tabs = [await openSession(options, { noStart: true, context })]
      await tabs[0]!.evaluate(() => (window as any).login())
      for (let i = 1; i < count; i++) tabs.push(await openSession(options, { context }))
      await context.clock.runFor(idle.timeout + 1_000)
      const timelines = async () => JSON.stringify(await Promise.all(tabs.map((t) => t.evaluate(() => (window as any).session.timeline()))))
      await expect
        .poll(async () => (await Promise.all(tabs.map(stateOf))).map((s) => s.status), { message: `run ${run}: ${await timelines()}` })
        .toEqual(Array(count).fill('signedOut'))
      await endLockDrained(tabs[0]!)
      const states = await Promise.all(tabs.map(stateOf))
      const what = `run ${run}: ${JSON.stringify(states.map((s) => [s.reason, s.fromOtherTab]))}\n${await timelines()}`
      expect(server.control.counters.logouts, `logout requests, ${what}`).toBe(1)
      expect(states.map((s) => s.reason), what).toEqual(Array(count).fill('idle'))
      // Exactly one tab ended it; the followers say it came from another tab.
      expect(states.filter((s) => s.fromOtherTab), what).toHaveLength(count - 1)
      await context.close()
    }
  })
}
