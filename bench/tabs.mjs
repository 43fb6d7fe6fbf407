// Cross-tab numbers in real browsers (Debian Chromium and Firefox ESR via playwright-core):
// logout propagation latency (tab 1 signs out → tab 2's signedOut event), p50/p95 over
// N runs, and refresh-storm counts (5 tabs × 20 concurrent expired-token requests).
import { startMockServer } from '../dist/mock-server.mjs'
import { forEachBrowser } from './browsers.mjs'

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]
const open = async (context, url) => {
  const page = await context.newPage()
  await page.goto(url)
  await page.evaluate(() => window.ready)
  return page
}

export async function measureTabs({ runs = 50, storms = 10 } = {}) {
  const server = await startMockServer({ static: { '/dist/': 'dist', '/e2e/': 'e2e/pages' } })
  const results = []
  try {
    await forEachBrowser(results, async (browser, name) => {
      const context = await browser.newContext()
      const url = `${server.url}/e2e/harness.html`
      const a = await open(context, url + '?nostart')
      await a.evaluate(() => window.login())
      const b = await open(context, url)
      const latencies = []
      for (let i = 0; i < runs; i++) {
        await b.evaluate(() => {
          window.outAt = new Promise((resolve) => {
            const off = window.session.on('signedOut', () => (off(), resolve(performance.timeOrigin + performance.now())))
          })
        })
        const sentAt = await a.evaluate(() => {
          const t = performance.timeOrigin + performance.now()
          window.session.signOut()
          return t
        })
        latencies.push((await b.evaluate(() => window.outAt)) - sentAt)
        await a.evaluate(() => window.login())
        await b.waitForFunction(() => window.session.getState().status === 'authenticated')
      }
      latencies.sort((x, y) => x - y)
      const tabs = [a, b]
      for (let i = 0; i < 3; i++) tabs.push(await open(context, url))
      const refreshCounts = []
      const reuse = []
      for (let i = 0; i < storms; i++) {
        const before = server.control.counters
        server.control.expireAccessTokens()
        const statuses = await Promise.all(tabs.map((p) => p.evaluate(() => Promise.all(Array.from({ length: 20 }, () => window.session.fetch('/api/me').then((r) => r.status))))))
        const after = server.control.counters
        refreshCounts.push(after.refreshCalls - before.refreshCalls)
        reuse.push(after.reuseDetections - before.reuseDetections)
        if (statuses.flat().some((s) => s !== 200)) refreshCounts.push(NaN)
      }
      results.push({
        browser: `${name} ${browser.version()}`,
        runs,
        p50: pct(latencies, 50),
        p95: pct(latencies, 95),
        max: latencies.at(-1),
        storms,
        refreshCounts,
        reuse: reuse.reduce((x, y) => x + y, 0),
      })
    })
  } finally {
    await server.close()
  }
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await measureTabs())
