// Back-forward cache and Page Lifecycle resume, real browsers.
//
// How the back-forward cache is turned on here:
// - Chromium: Playwright launches it with --disable-back-forward-cache; this file's workers
//   launch without that switch (ignoreDefaultArgs), which enables the cache.
// - Firefox: Playwright leaves the cache on for Firefox over WebDriver BiDi; this file sets
//   browser.sessionhistory.max_total_viewers to 8 to say so explicitly.
// - Both: the mock server sends `Cache-Control: no-store` with every static file, and a
//   no-store page is never cached (Chromium reports 'response-cache-control-no-store'); the
//   harness page is routed without it, as an app's HTML usually is.
//
// What really happens (asserted below, in "which pages the browsers cache"):
// - Chromium caches a page with a session: the Web Locks it holds and its open
//   BroadcastChannel do not make it ineligible. But a BroadcastChannel message arriving while
//   the page is cached evicts it (notRestoredReasons: 'broadcastchannel-message'), and the
//   session's tabs talk over BroadcastChannel whenever anything changes: when another tab
//   signs out or refreshes meanwhile, going back loads the page afresh, and it learns the
//   change at start (the marker locks, or a live tab's answer).
// - Firefox never caches a page holding a Web Lock, and every session with cross-tab sync
//   holds one (its tab lock, and a marker after a refresh or sign-in); with crossTab: false
//   the same page is cached. So in Firefox the restore cannot be driven for real.
// Neither browser can therefore be driven into "restored after missing a change": that path
// is covered in both with a dispatched `pageshow` (persisted: true) or Page Lifecycle `resume`
// event, after the page's BroadcastChannel dropped what came while it was "away" (the page
// learns only from its re-check, the worst case).
import type { Page } from '@playwright/test'
import { test as base, expect, stateOf, eventsOf } from './fixtures.js'

const test = base.extend<{}, {}>({
  launchOptions: [
    async ({ launchOptions, browserName }, use) =>
      use(
        browserName === 'chromium'
          ? { ...launchOptions, ignoreDefaultArgs: ['--disable-back-forward-cache'] }
          : { ...launchOptions, firefoxUserPrefs: { ...launchOptions.firefoxUserPrefs, 'browser.sessionhistory.max_total_viewers': 8 } },
      ),
    { scope: 'worker' },
  ],
  context: async ({ context }, use) => {
    // The harness without no-store (see above).
    await context.route(/\/e2e\/harness\.html/, async (route) => {
      const response = await route.fetch()
      await route.fulfill({ response, headers: { ...response.headers(), 'cache-control': 'no-cache' } })
    })
    // Every page: its pageshow events, every state change of its session from the first,
    // and a BroadcastChannel that drops what arrives while `__away` is true.
    await context.addInitScript(() => {
      const w = window as any
      w.shows = []
      addEventListener('pageshow', (e) => w.shows.push(e.persisted))
      w.lifecycle = []
      for (const type of ['freeze', 'resume']) document.addEventListener(type, () => w.lifecycle.push(type))
      addEventListener('pageshow', (e) => e.persisted && w.lifecycle.push('pageshow:true'))
      w.changes = []
      let session: any
      Object.defineProperty(window, 'session', {
        configurable: true,
        get: () => session,
        set(value) {
          session = value
          value.subscribe((s: any) => w.changes.push({ status: s.status, stale: s.stale, reason: s.reason, fromOtherTab: s.fromOtherTab, version: s.version }))
        },
      })
      w.__away = false
      w.__dropped = []
      const Native = window.BroadcastChannel
      window.BroadcastChannel = class extends Native {
        override set onmessage(handler: any) {
          super.onmessage = handler && ((e: MessageEvent) => (w.__away ? w.__dropped.push(e.data?.type) : handler.call(this, e)))
        }
        override get onmessage() {
          return super.onmessage
        }
      }
    })
    await use(context)
  },
})

const login = (page: Page) => page.evaluate(() => (window as any).login())

/** Evaluates `fn` until it returns something truthy, across navigations (bounded). */
async function until<T>(page: Page, fn: () => T, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    try {
      const value = await page.evaluate(fn)
      if (value) return value
    } catch {
      // the page is navigating: its context was replaced
    }
    await page.waitForTimeout(100)
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** Navigates away and back by history (Playwright's goBack waits for a load a restore never fires). */
async function awayAndBack(page: Page, url: string, meanwhile: () => Promise<void> = async () => {}) {
  await page.evaluate(() => ((window as any).before = 'this document'))
  await page.goto(`${url}/dist/sri.json`)
  await meanwhile()
  await page.evaluate(() => void setTimeout(() => history.back(), 0))
  await until(page, () => location.pathname.endsWith('/harness.html') && document.readyState === 'complete' && (window as any).shows?.length > 0 && !!(window as any).ready, 'the harness to be back')
  await page.evaluate(() => (window as any).ready)
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as any
    const reasons = nav?.notRestoredReasons?.reasons?.map((r: any) => r.reason) ?? null
    return { restored: (window as any).before === 'this document', shows: (window as any).shows as boolean[], reasons }
  })
}

/** The dispatched stand-in for a restore: the page stops hearing other tabs, `act` runs, the page comes back. */
async function away(page: Page, act: () => Promise<void>, missed: string, event: 'pageshow' | 'resume' = 'pageshow') {
  await page.evaluate(() => ((window as any).__away = true))
  await act()
  // What the other tab broadcast has arrived here and was dropped (it would not reach a cached page).
  await expect.poll(() => page.evaluate(() => (window as any).__dropped)).toContain(missed)
  await page.evaluate((event) => {
    const w = window as any
    w.__away = false
    if (event === 'pageshow') dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
    else document.dispatchEvent(new Event('resume'))
  }, event)
  await expect.poll(async () => (await eventsOf(page, 'resumed')).length).toBe(1)
}

/** The last index where `test` holds, or -1. */
const lastIndex = <T>(xs: T[], test: (x: T, i: number) => boolean) => {
  for (let i = xs.length - 1; i >= 0; i--) if (test(xs[i]!, i)) return i
  return -1
}
/** The state changes from the last one that turned `stale` true. */
const sinceStale = async (page: Page) => {
  const changes: any[] = await page.evaluate(() => (window as any).changes)
  const from = lastIndex(changes, (c, i) => c.stale && !changes[i - 1]?.stale)
  return from < 0 ? [] : changes.slice(from)
}

test.describe('back-forward cache and resume', () => {
  test('which pages the browsers cache: Chromium a page with a session; Firefox none holding a Web Lock', async ({ openSession, server, browserName }) => {
    const page = await openSession({}, { noStart: true })
    await login(page)
    const held = await page.evaluate(() => navigator.locks.query().then((q) => q.held!.map((l) => l.name!)))
    expect(held.some((n) => n.startsWith('session-continuity:tab:'))).toBe(true)
    const back = await awayAndBack(page, server.url)
    if (browserName === 'chromium') {
      expect(back).toEqual({ restored: true, shows: [false, true], reasons: null })
      expect((await stateOf(page)).status).toBe('authenticated')
      expect(await page.evaluate(() => (window as any).session.fetch('/api/me').then((r: Response) => r.status))).toBe(200)
    } else {
      // Firefox loaded it afresh (no notRestoredReasons API there to say why)…
      expect(back).toMatchObject({ restored: false, shows: [false] })
      // …while the same page without cross-tab sync (no lock held) is cached.
      await page.close() // (locks.query() lists the whole origin's locks)
      const alone = await openSession({ crossTab: false })
      expect(await alone.evaluate(() => navigator.locks.query().then((q) => q.held!.length))).toBe(0)
      expect(await awayAndBack(alone, server.url)).toMatchObject({ restored: true, shows: [false, true] })
    }
  })

  test('restored with nothing missed: stale while it re-checks with the other tabs, then resumed', async ({ openSession, server, browserName }) => {
    const a = await openSession({}, { noStart: true })
    await login(a)
    const b = await openSession({ diagnostics: true })
    const version = (await stateOf(b)).version
    if (browserName === 'chromium') {
      // A real restore (nothing was broadcast meanwhile, so the page stayed cached).
      expect(await awayAndBack(b, server.url)).toMatchObject({ restored: true, shows: [false, true] })
    } else {
      // Firefox cannot restore a page with a session (see the top of this file): dispatched.
      await b.evaluate(() => dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })))
    }
    // (Chromium fires `resume` and `pageshow` on a restore: see the next test for the count.)
    await expect.poll(async () => (await eventsOf(b, 'resumed')).length).toBeGreaterThanOrEqual(1)
    await expect.poll(async () => (await stateOf(b)).stale).toBe(false)
    for (const e of await eventsOf(b, 'resumed')) expect(e.payload).toEqual({ status: 'authenticated' })
    expect(await sinceStale(b)).toEqual([
      { status: 'authenticated', stale: true, reason: null, fromOtherTab: false, version },
      { status: 'authenticated', stale: false, reason: null, fromOtherTab: false, version },
    ])
    const timeline: any[] = await b.evaluate(() => (window as any).session.timeline())
    // The re-check asked the other tabs (hello) after the session was learnt, then recorded its end.
    const learnt = timeline.findIndex((e) => e.what === 'refreshed')
    const hello = lastIndex(timeline, (e) => e.what === 'sent' && e.type === 'hello')
    expect(learnt).toBeGreaterThanOrEqual(0)
    expect(hello).toBeGreaterThan(learnt)
    expect(lastIndex(timeline, (e) => e.what === 'resumed' && e.status === 'authenticated')).toBeGreaterThan(hello)
    expect(server.control.counters.refreshCalls).toBe(0)
  })

  test('one restore, one re-check, although Chromium fires both `resume` and `pageshow` for it', async ({ openSession, server, browserName }) => {
    // The `resume` and `pageshow` (persisted) listeners share one re-check: one hello, one
    // lock query, one `resumed` event per restore.
    const a = await openSession({}, { noStart: true })
    await login(a)
    const b = await openSession({ diagnostics: true })
    if (browserName === 'chromium') {
      expect(await awayAndBack(b, server.url)).toMatchObject({ restored: true, shows: [false, true] })
      expect(await b.evaluate(() => (window as any).lifecycle)).toEqual(['freeze', 'resume', 'pageshow:true'])
    } else {
      // Firefox: the same two events, in Chromium's order, dispatched.
      await b.evaluate(() => {
        document.dispatchEvent(new Event('resume'))
        dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
      })
    }
    await expect.poll(async () => (await stateOf(b)).stale).toBe(false)
    await expect.poll(async () => (await eventsOf(b, 'resumed')).length).toBeGreaterThanOrEqual(1)
    const timeline: any[] = await b.evaluate(() => (window as any).session.timeline())
    const start = timeline.findIndex((e) => e.what === 'refreshed')
    expect(timeline.slice(start).filter((e) => e.what === 'sent' && e.type === 'hello')).toHaveLength(1)
    expect(await eventsOf(b, 'resumed')).toHaveLength(1)
  })

  for (const change of ['signOut', 'refresh'] as const) {
    test(`real navigation, tab A ${change === 'signOut' ? 'signs out' : 'refreshes'} while B is away: B is loaded afresh and ${change === 'signOut' ? "ends with A's reason" : "adopts A's credentials"}`, async ({ openSession, server, browserName }) => {
      const a = await openSession({}, { noStart: true })
      await login(a)
      const b = await openSession({})
      const refreshes = server.control.counters.refreshCalls
      const back = await awayAndBack(b, server.url, async () => {
        if (change === 'signOut') await a.evaluate(() => (window as any).session.signOut())
        else expect(await a.evaluate(() => (window as any).session.refresh())).toBe(true)
      })
      // Chromium evicted it when A's broadcast arrived; Firefox never cached it (its lock).
      expect(back).toMatchObject({ restored: false, shows: [false] })
      if (browserName === 'chromium') expect(back.reasons).toContain('broadcastchannel-message')
      if (change === 'signOut') {
        await expect.poll(async () => (await stateOf(b)).status).toBe('signedOut')
        expect(await stateOf(b)).toMatchObject({ reason: 'logout', fromOtherTab: true })
        expect(server.control.counters.logouts).toBe(1)
      } else {
        await expect.poll(async () => (await stateOf(b)).version).toBe((await stateOf(a)).version)
        expect((await stateOf(b)).status).toBe('authenticated')
        expect(server.control.counters.refreshCalls - refreshes).toBe(1) // A's; B refreshed nothing
      }
    })
  }

  test('resumed after missing a sign-out: stale, then signed out with the true reason, fromOtherTab', async ({ openSession, server }) => {
    const a = await openSession({}, { noStart: true })
    await login(a)
    const b = await openSession({ diagnostics: true })
    const version = (await stateOf(b)).version
    await away(b, () => a.evaluate(() => (window as any).session.signOut()), 'signedOut')
    const out = (await stateOf(a)).version
    expect(await sinceStale(b)).toEqual([
      { status: 'authenticated', stale: true, reason: null, fromOtherTab: false, version },
      { status: 'signedOut', stale: true, reason: 'logout', fromOtherTab: true, version: out },
      { status: 'signedOut', stale: false, reason: 'logout', fromOtherTab: true, version: out },
    ])
    expect((await eventsOf(b, 'signedOut')).map((e: any) => e.payload)).toEqual([{ reason: 'logout', fromOtherTab: true, returnTo: null }])
    expect((await eventsOf(b, 'resumed'))[0].payload).toEqual({ status: 'signedOut' })
    expect(server.control.counters.logouts).toBe(1) // A's only: B's re-check asked no server
  })

  test('resumed (Page Lifecycle `resume`) after the session was revoked: revoked, fromOtherTab', async ({ openSession, server }) => {
    const a = await openSession({}, { noStart: true })
    await login(a)
    const b = await openSession({})
    await away(
      b,
      async () => {
        server.control.revokeAll()
        await a.evaluate(() => (window as any).session.refresh())
        await expect.poll(async () => (await stateOf(a)).status).toBe('signedOut')
      },
      'signedOut',
      'resume',
    )
    expect(await stateOf(b)).toMatchObject({ status: 'signedOut', reason: 'revoked', fromOtherTab: true, stale: false })
    const since = await sinceStale(b)
    expect(since[0]).toMatchObject({ status: 'authenticated', stale: true })
    expect(since.at(-2)).toMatchObject({ status: 'signedOut', stale: true, reason: 'revoked' })
    expect(server.control.counters.refreshCalls).toBe(1) // A's only
  })

  test("resumed after another tab refreshed: adopts its credentials (same version) without refreshing", async ({ openSession, server }) => {
    const a = await openSession({}, { noStart: true })
    await login(a)
    const b = await openSession({ diagnostics: true })
    const version = (await stateOf(b)).version
    const learnt = (await eventsOf(b, 'refreshed')).length // B learnt the session from A at start
    await away(b, async () => expect(await a.evaluate(() => (window as any).session.refresh())).toBe(true), 'refreshed')
    const rotated = (await stateOf(a)).version
    expect(rotated).toBeGreaterThan(version)
    expect(await stateOf(b)).toMatchObject({ status: 'authenticated', version: rotated, stale: false })
    expect(await sinceStale(b)).toEqual([
      { status: 'authenticated', stale: true, reason: null, fromOtherTab: false, version },
      { status: 'authenticated', stale: true, reason: null, fromOtherTab: false, version: rotated },
      { status: 'authenticated', stale: false, reason: null, fromOtherTab: false, version: rotated },
    ])
    expect((await eventsOf(b, 'refreshed')).slice(learnt).map((e: any) => e.payload)).toEqual([{ expiresAt: (await stateOf(a)).expiresAt, version: rotated, source: 'otherTab' }])
    const timeline: any[] = await b.evaluate(() => (window as any).session.timeline())
    expect(timeline.filter((e) => e.what === 'refresh')).toEqual([])
    expect(server.control.counters.refreshCalls).toBe(1) // A's only
    expect(await b.evaluate(() => (window as any).session.fetch('/api/me').then((r: Response) => r.status))).toBe(200)
  })
})
