import { test, expect } from './fixtures.js'

test.describe('the intended URL survives re-login (demo app, real navigation)', () => {
  test('deep link → login → back to the same deep link; idle → login → back again', async ({ page, server, context }) => {
    await context.clock.install()
    const deepLink = '/index.html?view=orders&sort=-date#row-7'
    await page.goto(server.url + deepLink)
    await page.waitForURL(/\/login\.html\?returnTo=/)
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe(deepLink)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(server.url + deepLink)
    await expect(page.getByTestId('status')).toHaveText('authenticated')

    // Go idle: the demo signs out after 30 s without activity and sends us to the login page.
    await context.clock.runFor(31_000)
    await page.waitForURL(/\/login\.html\?returnTo=/)
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe(deepLink)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(server.url + deepLink)
    await expect(page.getByTestId('status')).toHaveText('authenticated')
  })

  for (const hostile of ['//evil.example.com/x', 'https://evil.example.com/', '/\\evil.example.com', 'javascript:alert(1)', '/%2F%2Fevil.example.com']) {
    test(`a hostile returnTo (${hostile}) ends at the fallback`, async ({ page, server }) => {
      await page.goto(`${server.url}/login.html?returnTo=${encodeURIComponent(hostile)}`)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`${server.url}/`)
      expect(new URL(page.url()).origin).toBe(server.url)
    })
  }

  test('a query-supplied returnTo is handed out once: the parameter leaves the address bar, a second call and a reload get the fallback', async ({ page, server }) => {
    await page.goto(`${server.url}/e2e/harness.html?nostart&returnTo=${encodeURIComponent('/orders/42')}#form`)
    const consume = () => page.evaluate(() => (window as any).session.consumeReturnTo('/fallback'))
    expect(await consume()).toBe('/orders/42')
    const url = new URL(page.url())
    expect(url.searchParams.has('returnTo')).toBe(false)
    expect(url.searchParams.has('nostart')).toBe(true) // the rest of the URL stays, the hash too
    expect(url.hash).toBe('#form')
    expect(await consume()).toBe('/fallback')
    await page.reload()
    await page.evaluate(() => (window as any).ready)
    expect(await consume()).toBe('/fallback')
    // Back in history to the entry that still had it: this tab has used it already.
    await page.goto(`${server.url}/e2e/harness.html?nostart&returnTo=${encodeURIComponent('/orders/42')}`)
    expect(await consume()).toBe('/fallback')
  })
})
