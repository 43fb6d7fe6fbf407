import type { Page } from '@playwright/test'
import { test, expect, stateOf, eventsOf } from './fixtures.js'

const statusOf = async (pages: Page[]) => Promise.all(pages.map(async (p) => (await stateOf(p)).status))
const login = (page: Page) => page.evaluate(() => (window as any).login())

test.describe('across tabs: BroadcastChannel + Web Locks, real browser', () => {
  test('5 tabs × 20 concurrent expired-token requests: exactly 1 refresh, 0 reuse, 100 successes', async ({ openSession, server }) => {
    const first = await openSession({}, { noStart: true })
    await login(first)
    const tabs = [first]
    for (let i = 0; i < 4; i++) tabs.push(await openSession({}))
    expect(await statusOf(tabs)).toEqual(Array(5).fill('authenticated'))
    const before = server.control.counters.refreshCalls
    server.control.expireAccessTokens()
    const results = await Promise.all(
      tabs.map((p) => p.evaluate(() => Promise.all(Array.from({ length: 20 }, (_, i) => (window as any).session.fetch(`/api/me?i=${i}`).then((r: Response) => r.status))))),
    )
    expect(results.flat().filter((s) => s === 200)).toHaveLength(100)
    expect(server.control.counters.refreshCalls - before).toBe(1)
    expect(server.control.counters.reuseDetections).toBe(0)
  })

  test('5 tabs opened at once against an existing session: at most 1 refresh', async ({ openSession, server, context }) => {
    const loginPage = await openSession({ crossTab: false }, { noStart: true })
    await login(loginPage)
    await loginPage.close()
    const before = server.control.counters.refreshCalls
    const pages = await Promise.all(Array.from({ length: 5 }, () => context.newPage()))
    await Promise.all(pages.map((p) => p.goto(`${server.url}/e2e/harness.html`)))
    await Promise.all(pages.map((p) => p.evaluate(() => (window as any).ready)))
    expect(await statusOf(pages)).toEqual(Array(5).fill('authenticated'))
    expect(server.control.counters.refreshCalls - before).toBeLessThanOrEqual(1)
    expect(server.control.counters.reuseDetections).toBe(0)
  })

  test('logout in tab 1 reaches every other tab; sign-in in one tab resumes them', async ({ openSession, server }) => {
    const tabs = [await openSession({}, { noStart: true })]
    await login(tabs[0]!)
    for (let i = 0; i < 2; i++) tabs.push(await openSession({}))
    await tabs[0]!.evaluate(() => (window as any).session.signOut())
    await expect.poll(() => statusOf(tabs)).toEqual(['signedOut', 'signedOut', 'signedOut'])
    // The true reason in every tab; fromOtherTab says where it happened.
    expect(await Promise.all(tabs.map(async (p) => (await stateOf(p)).reason))).toEqual(['logout', 'logout', 'logout'])
    expect(await Promise.all(tabs.map(async (p) => (await stateOf(p)).fromOtherTab))).toEqual([false, true, true])
    expect(server.control.counters.logouts).toBe(1)
    // A freshly loaded login page signs in: the signed-out tabs resume.
    const loginPage = await openSession({}, { noStart: true })
    await login(loginPage)
    await expect.poll(() => statusOf(tabs)).toEqual(['authenticated', 'authenticated', 'authenticated'])
    expect((await eventsOf(tabs[1]!, 'signedIn')).at(-1).payload.source).toBe('otherTab')
    expect(await tabs[2]!.evaluate(() => (window as any).session.fetch('/api/me').then((r: Response) => r.status))).toBe(200)
  })

  test('refresh-token reuse by another client signs every tab out as revoked, once', async ({ openSession, server }) => {
    const tabs = [await openSession({}, { noStart: true })]
    await login(tabs[0]!)
    for (let i = 0; i < 2; i++) tabs.push(await openSession({}))
    server.control.spendRefreshToken()
    await tabs[1]!.evaluate(() => (window as any).session.refresh())
    await expect.poll(() => statusOf(tabs)).toEqual(['signedOut', 'signedOut', 'signedOut'])
    for (const t of tabs) expect((await eventsOf(t, 'signedOut')).map((e: any) => e.payload.reason)).toEqual(['revoked'])
    expect(server.control.counters.reuseDetections).toBe(1)
  })

  test('with the context clock: activity in tab 2 keeps tab 1 from warning; the warning shows in all together; stayActive in one clears all', async ({ openSession, context }) => {
    await context.clock.install()
    const idle = { timeout: 60_000, warnBefore: 20_000 }
    const tabs = [await openSession({ idle }, { noStart: true })]
    await login(tabs[0]!)
    tabs.push(await openSession({ idle }))
    await context.clock.runFor(30_000)
    await tabs[1]!.keyboard.press('Shift') // activity in tab 2 only
    await context.clock.runFor(2_000) // let the (throttled) activity broadcast go out
    await context.clock.runFor(20_000) // 52 s since start: tab 1 would warn at 40 s on its own
    expect(await Promise.all(tabs.map(async (p) => (await stateOf(p)).presence))).toEqual(['active', 'active'])
    await context.clock.runFor(20_000) // 42 s after the activity: warning window in both
    await expect.poll(async () => Promise.all(tabs.map(async (p) => (await stateOf(p)).presence))).toEqual(['warning', 'warning'])
    const deadlines = await Promise.all(tabs.map(async (p) => (await stateOf(p)).warning.deadline))
    expect(Math.abs(deadlines[0] - deadlines[1])).toBeLessThanOrEqual(1_000)
    await tabs[1]!.evaluate(() => (window as any).session.stayActive())
    await context.clock.runFor(100)
    await expect.poll(async () => Promise.all(tabs.map(async (p) => (await stateOf(p)).presence))).toEqual(['active', 'active'])
  })
})
