// Requests started during a refresh, in real browsers (Debian Chromium and Firefox ESR via
// playwright-core, loopback mock server): the refresh takes 500 ms (the mock's refresh delay)
// and the access tokens are expired, so a request that went out before the refresh ended
// would be answered 401. In each round, one tab refreshes and 20 requests start in every tab
// the moment it knows of the refresh (its own flight, or the other tab's `refreshing: true`).
// Counted per round: the 401s the server answered (Playwright's view of the network and the
// page's own count), API calls per tab (20 = none lost, none sent twice), refresh calls.
import { startMockServer } from '../dist/mock-server.mjs'
import { forEachBrowser } from './browsers.mjs'
const REQUESTS = 20
const DELAY = 500
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.floor(s.length / 2)] : NaN
}

async function open(context, url, counts) {
  const page = await context.newPage()
  const mine = { api: 0, api401: 0, urls: new Set() }
  counts.set(page, mine)
  page.on('response', (r) => {
    if (!new URL(r.url()).pathname.startsWith('/api/')) return
    mine.api++
    mine.urls.add(r.url())
    if (r.status() === 401) mine.api401++
  })
  await page.goto(url)
  await page.evaluate(() => window.ready)
  return page
}

/** In the page: 20 requests start when the tab first sees `refreshing: true`; resolves with statuses and waits. */
const arm = (page, round) =>
  page.evaluate(
    ({ n, round }) => {
      window.round = new Promise((resolve) => {
        const fire = () => {
          const started = performance.now()
          resolve(
            Promise.all(
              Array.from({ length: n }, (_, i) =>
                window.session.fetch(`/api/me?round=${round}&i=${i}`).then((r) => ({ status: r.status, ms: performance.now() - started })),
              ),
            ),
          )
        }
        if (window.session.getState().refreshing) return fire()
        const off = window.session.subscribe((s) => s.refreshing && (off(), fire()))
      })
    },
    { n: REQUESTS, round },
  )

async function measure(server, context, tabCount, rounds) {
  const url = `${server.url}/e2e/harness.html`
  const counts = new Map()
  const first = await open(context, url + '?nostart', counts)
  await first.evaluate(() => window.login())
  const tabs = [first]
  for (let i = 1; i < tabCount; i++) tabs.push(await open(context, url, counts))
  const rows = []
  for (let round = 0; round < rounds; round++) {
    for (const c of counts.values()) Object.assign(c, { api: 0, api401: 0, urls: new Set() })
    const pageCounts = await Promise.all(tabs.map((p) => p.evaluate(() => ({ apiCalls: window.apiCalls, seen401: window.seen401 }))))
    server.control.setRefreshDelay(DELAY)
    server.control.expireAccessTokens()
    const before = server.control.counters
    for (const t of tabs) await arm(t, round)
    const fresh = await first.evaluate(() => window.session.refresh())
    const results = await Promise.all(tabs.map((t) => t.evaluate(() => window.round)))
    const after = await Promise.all(tabs.map((p) => p.evaluate(() => ({ apiCalls: window.apiCalls, seen401: window.seen401 }))))
    const perTab = tabs.map((t) => counts.get(t))
    rows.push({
      fresh,
      refreshes: server.control.counters.refreshCalls - before.refreshCalls,
      reuse: server.control.counters.reuseDetections - before.reuseDetections,
      server401: perTab.reduce((n, c) => n + c.api401, 0),
      page401: after.reduce((n, a, i) => n + a.seen401 - pageCounts[i].seen401, 0),
      apiPerTab: perTab.map((c) => c.api),
      distinctPerTab: perTab.map((c) => c.urls.size),
      lost: results.flat().filter((r) => r.status !== 200).length,
      waits: results.flat().map((r) => r.ms),
    })
  }
  server.control.setRefreshDelay(0)
  await Promise.all(tabs.map((t) => t.close()))
  return rows
}

export async function measureRequestsDuringRefresh({ rounds = 5 } = {}) {
  const server = await startMockServer({ static: { '/dist/': 'dist', '/e2e/': 'e2e/pages' } })
  const results = []
  try {
    await forEachBrowser(results, async (browser, name) => {
      for (const tabs of [1, 3]) {
        server.control.reset()
        const context = await browser.newContext()
        const rows = await measure(server, context, tabs, rounds)
        await context.close()
        results.push({
          browser: `${name} ${browser.version()}`,
          tabs,
          rounds,
          requests: rows.length * tabs * REQUESTS,
          server401: rows.reduce((n, r) => n + r.server401, 0),
          page401: rows.reduce((n, r) => n + r.page401, 0),
          apiPerTab: [...new Set(rows.flatMap((r) => r.apiPerTab))],
          duplicates: rows.reduce((n, r) => n + r.apiPerTab.reduce((m, a, i) => m + a - r.distinctPerTab[i], 0), 0),
          lost: rows.reduce((n, r) => n + r.lost, 0),
          refreshes: rows.map((r) => r.refreshes),
          reuse: rows.reduce((n, r) => n + r.reuse, 0),
          allFresh: rows.every((r) => r.fresh),
          waitMedian: median(rows.flatMap((r) => r.waits)),
          waitMax: Math.max(...rows.flatMap((r) => r.waits)),
        })
      }
    })
  } finally {
    await server.close()
  }
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await measureRequestsDuringRefresh())
