import { test, expect, stateOf, eventsOf } from './fixtures.js'

const idle = { timeout: 30_000, warnBefore: 10_000 }

test.describe('idle warning and sign-out with the page clock', () => {
  test('warns at 20 s, counts down, stayActive() dismisses; then idle signs out with reason idle', async ({ openSession, server }) => {
    const page = await openSession({ crossTab: false, idle }, { noStart: true })
    await page.clock.install()
    // The page's time moves only when the test moves it from here on (a loaded machine's real
    // seconds would otherwise leak into the countdown). Sign-in needs no timer, only the network.
    await page.clock.pauseAt(Date.now() + 2_000)
    await page.evaluate(() => (window as any).login())
    await page.clock.runFor(19_000)
    expect((await stateOf(page)).presence).toBe('active')
    await page.clock.runFor(2_000)
    expect((await stateOf(page)).presence).toBe('warning')
    const remaining = await page.evaluate(() => (window as any).session.getRemainingTime())
    expect(remaining).toBeGreaterThan(8_000)
    expect(remaining).toBeLessThanOrEqual(9_000)
    await page.mouse.move(10, 10) // a stray mousemove does not dismiss the warning
    expect((await stateOf(page)).presence).toBe('warning')
    await page.evaluate(() => (window as any).session.stayActive())
    expect((await stateOf(page)).presence).toBe('active')
    await page.clock.runFor(31_000)
    await expect.poll(async () => (await stateOf(page)).status).toBe('signedOut')
    expect((await stateOf(page)).reason).toBe('idle')
    // (refresh events are left out: the page clock jumps faster than the network answers)
    const presence = (await eventsOf(page)).map((e: any) => e.name).filter((n: string) => !n.startsWith('refresh'))
    expect(presence).toEqual(['signedIn', 'warning', 'active', 'warning', 'idle', 'signedOut'])
    await expect.poll(() => server.control.counters.logouts).toBe(1)
  })

  test('keyboard activity while active postpones the warning', async ({ openSession }) => {
    const page = await openSession({ crossTab: false, idle }, { noStart: true })
    await page.clock.install()
    await page.evaluate(() => (window as any).login())
    for (let i = 0; i < 6; i++) {
      await page.clock.runFor(15_000)
      await page.keyboard.press('Shift')
    }
    expect((await stateOf(page)).presence).toBe('active')
    expect((await stateOf(page)).status).toBe('authenticated')
  })

  test('a hidden tab whose timers were throttled is judged by real elapsed time on wake', async ({ openSession }) => {
    const page = await openSession({ crossTab: false, idle }, { noStart: true })
    await page.clock.install()
    await page.evaluate(() => (window as any).login())
    await page.clock.pauseAt(Date.now() + 1000)
    // Jump the wall clock 25 s without firing timers, as a throttled background tab sees it.
    await page.clock.setFixedTime((await page.evaluate(() => Date.now())) + 25_000)
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
    expect((await stateOf(page)).presence).toBe('warning')
  })
})
