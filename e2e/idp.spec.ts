// A SPA signed in with a real OpenID Provider (oidc-provider 9: authorization code + PKCE,
// rotating refresh tokens with reuse detection), kept alive by session-continuity/oauth across
// tabs. The refresh token lives in memory only and travels between tabs over the channel.
import type { Page } from '@playwright/test'
import { test, expect, openTab, signInThroughOp, stateOf, eventsOf, expectNoRefreshTokenExposed } from './idp/fixtures.js'
import type { Idp } from './idp/op.js'

/** Signs in through the OP in one tab, then opens `count - 1` more tabs that join the session. */
async function signedInTabs(context: import('@playwright/test').BrowserContext, idp: Idp, count: number): Promise<Page[]> {
  const first = await openTab(context, idp)
  expect(await stateOf(first)).toMatchObject({ status: 'signedOut' })
  await signInThroughOp(first, idp)
  // The others open together, each learning the session (and the refresh token) from the tabs already there.
  const others = await Promise.all(Array.from({ length: count - 1 }, () => openTab(context, idp)))
  for (const page of others) expect((await stateOf(page)).status).toBe('authenticated')
  return [first, ...others]
}

const refreshGrants = (idp: Idp) => idp.counters.grants.refresh_token ?? 0

/** Reports a measured figure in the test's annotations and output. */
const measured = (description: string) => {
  test.info().annotations.push({ type: 'measured', description })
  console.log(`measured (${test.info().project.name}): ${description}`)
}

/** Calls the API `count` times at once in the page, through session.fetch; the statuses. */
const burst = (page: Page, count: number, label: string) =>
  page.evaluate(
    ([n, l]) => Promise.all(Array.from({ length: n }, (_, i) => (window as any).session.fetch(`/api/${l}/${i}`).then((r: Response) => r.status))),
    [count, label] as const,
  )

/** Keeps the page busy with the API (one call per `every` ms) for `ms`; when each call was sent and its status. */
const workFor = (page: Page, ms: number, every = 200) =>
  page.evaluate(
    async ([duration, gap]) => {
      const calls: Array<{ at: number; status: number }> = []
      const end = Date.now() + duration
      while (Date.now() < end) {
        const at = Date.now()
        calls.push({ at, status: (await (window as any).session.fetch('/api/work')).status })
        await new Promise((r) => setTimeout(r, gap))
      }
      return calls
    },
    [ms, every] as const,
  )

test.describe('with an OpenID Provider (refresh-token rotation)', () => {
  test('3 tabs x 20 concurrent requests with an expired access token: one refresh grant, no reuse, all 200 (3 rounds)', async ({ context, idp }) => {
    idp.accessTtl = 300 // no proactive refresh during the test: only the 401s cause refreshes
    const pages = await signedInTabs(context, idp, 3)
    expect(idp.counters.grants).toEqual({ authorization_code: 1 })
    for (let round = 1; round <= 3; round++) {
      const grants = refreshGrants(idp)
      const calls = idp.counters.tokenRequests
      const rejected = idp.counters.api[401] ?? 0
      idp.expireAccessTokens()
      const statuses = (await Promise.all(pages.map((page, tab) => burst(page, 20, `r${round}t${tab}`)))).flat()
      expect(statuses).toEqual(Array(60).fill(200))
      expect(refreshGrants(idp), `refresh grants in round ${round}`).toBe(grants + 1)
      expect(idp.counters.tokenRequests).toBe(calls + 1)
      expect(idp.counters.refreshReuses).toBe(0)
      // The API really refused the expired token (the session replayed those requests).
      expect(idp.counters.api[401]).toBeGreaterThan(rejected)
    }
    expect(await idp.isRefreshTokenValid(idp.refreshTokens.at(-1)!)).toBe(true)
    for (const page of pages) expect((await stateOf(page)).status).toBe('authenticated')
    measured(`3 rounds x 60 requests: ${refreshGrants(idp)} refresh grants, ${idp.counters.refreshReuses} reuses, ${idp.counters.api[401]} API 401s replayed, ${idp.counters.api[200]} API 200s`)
    await expectNoRefreshTokenExposed(context, pages, idp)
  })

  test('an active user across 3 access-token lifetimes: no 401 from the API, the refresh token rotated each time', async ({ context, idp }) => {
    idp.accessTtl = 3
    const pages = await signedInTabs(context, idp, 2)
    const started = Date.now()
    const perTab = await Promise.all(pages.map((page) => workFor(page, 3 * 3_000 + 500)))
    for (const calls of perTab) {
      // Busy all along: three lifetimes covered, never a whole lifetime without a call.
      expect(calls.at(-1)!.at - calls[0]!.at).toBeGreaterThanOrEqual(3 * 3_000)
      expect(Math.max(...calls.slice(1).map((c, i) => c.at - calls[i]!.at))).toBeLessThan(3_000)
    }
    const statuses = perTab.flat().map((c) => c.status)
    expect(statuses.filter((s) => s != 200)).toEqual([])
    expect(idp.counters.api[401] ?? 0).toBe(0)
    for (const page of pages) expect(await page.evaluate(() => (window as any).seen401)).toBe(0)
    expect(refreshGrants(idp)).toBeGreaterThanOrEqual(3)
    // Every refresh rotated: one new refresh token per grant, none presented twice.
    expect(idp.refreshTokens).toHaveLength(1 + refreshGrants(idp))
    expect(new Set(idp.refreshTokens).size).toBe(idp.refreshTokens.length)
    expect(idp.counters.refreshReuses).toBe(0)
    expect(idp.tokenCalls.filter((c) => c.status != 200)).toEqual([])
    measured(`${statuses.length} API calls over ${Date.now() - started} ms (access token 3 s): ${idp.counters.api[401] ?? 0} x 401, ${refreshGrants(idp)} rotations, ${idp.counters.refreshReuses} reuses`)
    await expectNoRefreshTokenExposed(context, pages, idp)
  })

  test('a tab opened later gets the refresh token from the others and refreshes alone without reuse', async ({ context, idp }) => {
    idp.accessTtl = 2
    const [first] = await signedInTabs(context, idp, 1)
    await expect.poll(() => refreshGrants(idp)).toBeGreaterThanOrEqual(1) // the first tab rotated once
    const later = await openTab(context, idp)
    expect((await stateOf(later)).status).toBe('authenticated')
    // Closed just after a refresh, never during one: a tab closed with its refresh in flight takes
    // the rotated token with it, and the OP rightly calls the next use of the old one a reuse
    // (the README's note on rotation grace periods).
    await first.evaluate(() => new Promise<void>((resolve) => { const off = (window as any).session.on('refreshed', () => (off(), resolve())) }))
    await first.close()
    const grants = refreshGrants(idp)
    // Alone now: two more rotations, each with the refresh token the previous one returned.
    await expect.poll(() => refreshGrants(idp), { timeout: 8_000 }).toBeGreaterThanOrEqual(grants + 2)
    expect(idp.counters.refreshReuses).toBe(0)
    expect(idp.tokenCalls.filter((c) => c.status != 200)).toEqual([])
    expect((await eventsOf(later, 'refreshed')).some((e: any) => e.payload.source == 'self')).toBe(true)
    expect(await burst(later, 3, 'later')).toEqual([200, 200, 200])
    expect((await stateOf(later)).status).toBe('authenticated')
    measured(`the later tab alone: ${refreshGrants(idp) - grants} rotations, ${idp.counters.refreshReuses} reuses`)
    await expectNoRefreshTokenExposed(context, [later], idp)
  })

  test('the grant revoked at the OP: every tab signed out with the true reason within 500 ms, no more token calls', async ({ context, idp }) => {
    idp.accessTtl = 300
    const pages = await signedInTabs(context, idp, 3)
    await expectNoRefreshTokenExposed(context, pages, idp)
    expect(idp.revokeGrants()).toBe(1)
    const calls = idp.counters.tokenRequests
    // The next API call meets a 401; the refresh that follows is refused (invalid_grant).
    expect(await burst(pages[0]!, 1, 'after-revocation')).toEqual([401])
    for (const page of pages) await expect.poll(async () => (await stateOf(page)).status).toBe('signedOut')
    const refused = idp.tokenCalls.slice(-1)[0]!
    expect(idp.counters.tokenRequests).toBe(calls + 1)
    expect(refused).toMatchObject({ grantType: 'refresh_token', status: 400 })
    const latencies: number[] = []
    for (const [i, page] of pages.entries()) {
      const state = await stateOf(page)
      // oidc-provider answers invalid_grant without saying why: the true reason is refreshFailed.
      expect(state).toMatchObject({ status: 'signedOut', reason: 'refreshFailed', fromOtherTab: i != 0 })
      const [signedOut, ...more] = await eventsOf(page, 'signedOut')
      expect(more).toEqual([])
      expect(signedOut.payload).toMatchObject({ reason: 'refreshFailed', fromOtherTab: i != 0 })
      expect(signedOut.at - refused.at, `tab ${i} signed out after the refusal`).toBeLessThanOrEqual(500)
      latencies.push(signedOut.at - refused.at)
    }
    measured(`signed out after the OP's refusal in ${latencies.join(' / ')} ms (tab that refreshed / others)`)
    // Signed out everywhere: the API answers 401 and nobody asks the OP again.
    for (const page of pages) expect(await burst(page, 2, 'signed-out')).toEqual([401, 401])
    expect(idp.counters.tokenRequests).toBe(calls + 1)
    await expectNoRefreshTokenExposed(context, pages, idp)
  })

  test('a rotated refresh token presented again (a stolen copy): the OP revokes the grant, the tabs sign out at their next refresh', async ({ context, idp }) => {
    idp.accessTtl = 300
    const pages = await signedInTabs(context, idp, 2)
    idp.expireAccessTokens()
    expect(await burst(pages[1]!, 1, 'rotate')).toEqual([200])
    expect(refreshGrants(idp)).toBe(1)
    const [rotated, current] = idp.refreshTokens
    expect(await idp.isRefreshTokenValid(current!)).toBe(true)
    const stolen = await idp.refreshWith(rotated!)
    expect(stolen).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    expect(idp.counters.refreshReuses).toBe(1)
    expect(await idp.isRefreshTokenValid(current!)).toBe(false) // the whole grant is gone
    expect(await burst(pages[0]!, 1, 'after-reuse')).toEqual([401])
    for (const [i, page] of pages.entries())
      await expect.poll(() => stateOf(page)).toMatchObject({ status: 'signedOut', reason: 'refreshFailed', fromOtherTab: i != 0 })
    expect(idp.counters.refreshReuses).toBe(1) // the tabs never presented an old token
  })

  test('signOut() in one tab: the refresh token revoked at the OP exactly once, every tab signed out', async ({ context, idp }) => {
    idp.accessTtl = 300
    const pages = await signedInTabs(context, idp, 3)
    idp.expireAccessTokens()
    expect(await burst(pages[2]!, 1, 'rotate')).toEqual([200]) // the token to revoke is a rotated one
    const current = idp.refreshTokens.at(-1)!
    expect(await idp.isRefreshTokenValid(current)).toBe(true)
    const calls = idp.counters.tokenRequests
    await pages[1]!.evaluate(() => (window as any).session.signOut())
    for (const page of pages) await expect.poll(async () => (await stateOf(page)).status).toBe('signedOut')
    expect(idp.counters.revocationRequests).toBe(1)
    expect(idp.counters.grantsRevoked).toBe(1)
    expect(await idp.isRefreshTokenValid(current)).toBe(false)
    for (const [i, page] of pages.entries()) {
      expect(await stateOf(page)).toMatchObject({ reason: 'logout', fromOtherTab: i != 1 })
      expect((await eventsOf(page, 'signedOut')).map((e: any) => e.payload.fromOtherTab)).toEqual([i != 1])
      expect(await burst(page, 1, 'signed-out')).toEqual([401])
    }
    expect(idp.counters.revocationRequests).toBe(1)
    expect(idp.counters.tokenRequests).toBe(calls)
    measured(`signOut(): ${idp.counters.revocationRequests} revocation request, ${idp.counters.grantsRevoked} grant revoked, 0 token calls after`)
    await expectNoRefreshTokenExposed(context, pages, idp)
  })
})
