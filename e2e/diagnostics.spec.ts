// The diagnostics part in real browsers: three tabs' timelines through an expired-token storm
// tell which tab refreshed and how the others got its result; the demo shows a live timeline.
import type { Page } from '@playwright/test'
import { test, expect } from './fixtures.js'

type Entry = { what: string; tab: string; at: number; [k: string]: unknown }
const timelineOf = (page: Page): Promise<Entry[]> => page.evaluate(() => (window as any).session.timeline())

for (const mode of ['cookie', 'bearer'] as const) {
  test(`${mode} mode: 3 tabs, one expired-token storm: one tab refreshes (refresh, lockGranted, refreshed self), the others receive its result`, async ({ openSession, server, bearerServer }) => {
    const mock = mode === 'cookie' ? server : bearerServer
    const options = { credentials: mode, diagnostics: { size: 500 } }
    const first = await openSession(options, { server: mock, noStart: true })
    await first.evaluate(() => (window as any).login())
    const tabs = [first, await openSession(options, { server: mock }), await openSession(options, { server: mock })]
    const marks = await Promise.all(tabs.map(async (t) => (await timelineOf(t)).length))
    const before = mock.control.counters.refreshCalls
    mock.control.expireAccessTokens()
    const statuses = await Promise.all(tabs.map((p) => p.evaluate(() => Promise.all(Array.from({ length: 20 }, (_, i) => (window as any).session.fetch(`/api/me?i=${i}`).then((r: Response) => r.status))))))
    expect(statuses.flat().filter((s) => s === 200)).toHaveLength(60)
    expect(mock.control.counters.refreshCalls - before).toBe(1)
    // Every tab's messages are on the page's timeline, after the storm began.
    const storm = await Promise.all(tabs.map(async (t, i) => (await timelineOf(t)).slice(marks[i])))
    const ids = storm.map((entries) => new Set(entries.map((e) => e.tab)))
    expect(ids.every((s) => s.size === 1)).toBe(true)
    expect(new Set(ids.map((s) => [...s][0])).size).toBe(3)
    // A tab's id is the sender the others record for its messages: the timelines merge.
    const tabIds = ids.map((s) => [...s][0])
    for (const [i, entries] of storm.entries())
      for (const e of entries.filter((e) => e.what === 'received')) expect(tabIds.filter((_, j) => j != i)).toContain(e.from)

    const selfRefreshed = storm.map((entries) => entries.some((e) => e.what === 'refreshed' && e.source === 'self'))
    expect(selfRefreshed.filter(Boolean)).toHaveLength(1)
    const refresher = storm[selfRefreshed.indexOf(true)]!
    const what = refresher.map((e) => e.what)
    const started = what.indexOf('refresh')
    expect(refresher[started]).toMatchObject({ what: 'refresh', why: '401' })
    const granted = what.indexOf('lockGranted', started)
    expect(granted).toBeGreaterThan(started)
    expect(refresher[granted]).toMatchObject({ lock: 'session-continuity:refresh', waitedMs: expect.any(Number) })
    expect(what.indexOf('refreshed', granted)).toBeGreaterThan(granted)
    expect(refresher.some((e) => e.what === 'sent' && e.type === 'refreshed')).toBe(true)

    for (const [i, entries] of storm.entries()) {
      if (selfRefreshed[i]) continue
      // The others got the refreshing tab's result by message (or, if it was late, by marker)…
      const got = entries.findIndex((e) => (e.what === 'received' && e.type === 'refreshed') || e.what === 'markerUsed')
      expect(got).toBeGreaterThanOrEqual(0)
      expect(entries.some((e) => (e.what === 'refreshed' && e.source === 'otherTab') || e.what === 'markerUsed')).toBe(true)
      // …and a tab that started a refresh of its own for its 401s (timing decides; Firefox often
      // does) was granted the lock only after that result arrived, and called no server.
      const own = entries.findIndex((e) => e.what === 'refresh')
      if (own >= 0) {
        const lock = entries.findIndex((e, j) => j > own && e.what === 'lockGranted')
        if (lock >= 0) expect(got).toBeLessThan(lock)
      }
    }
    // Nothing secret on any timeline: not the access token, not the user.
    const bearer = await first.evaluate(() => (window as any).session.authorizationFor('/api'))
    const all = JSON.stringify(await Promise.all(tabs.map(timelineOf)))
    for (const secret of ['Demo User', 'u-demo', ...(bearer ? [bearer.slice('Bearer '.length)] : [])]) expect(all).not.toContain(secret)
    if (mode === 'bearer') expect(bearer).toMatch(/^Bearer .{16,}/) // (so the scan above looked for a real token)
    else expect(bearer).toBeNull()
  })
}

test('the demo shows a live timeline that gains entries as the session decides', async ({ page, server }) => {
  await page.goto(`${server.url}/`)
  await page.waitForURL(/login\.html/)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${server.url}/`)
  await expect(page.getByTestId('status')).toHaveText('authenticated')
  const timeline = page.getByTestId('timeline')
  await expect(timeline.locator('li').first()).toBeVisible()
  const before = await timeline.locator('li').count()
  await page.getByRole('button', { name: 'Expire access token now' }).click()
  await page.getByRole('button', { name: 'Call /api/me' }).click()
  await expect(page.locator('#api')).toHaveText('200 Demo User')
  // Newest first: the refresh the 401 caused, its lock, and its result.
  await expect.poll(() => timeline.locator('li').count()).toBeGreaterThanOrEqual(before + 3)
  const texts = await timeline.locator('li').allTextContents()
  const fresh = texts.slice(0, texts.length - before)
  expect(fresh.some((t) => /\] refresh why=401/.test(t))).toBe(true)
  expect(fresh.some((t) => /\] lockGranted lock=session-continuity:refresh waitedMs=\d+/.test(t))).toBe(true)
  expect(fresh.some((t) => /\] refreshed source=self/.test(t))).toBe(true)
  expect(texts.join('\n')).not.toContain('Demo User')
})
