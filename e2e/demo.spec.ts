import { test, expect } from './fixtures.js'

// The screenshot of the warning dialog goes to this test's output folder (test-results/,
// not tracked); `npm run screenshot` runs this test with DEMO_SCREENSHOT set to regenerate
// the README's docs/demo.png. A test run never writes a tracked file.
test('the demo: sign in, see the live state, the warning dialog, and a screenshot', async ({ page, server, context, browserName }, testInfo) => {
  await context.clock.install()
  await page.setViewportSize({ width: 1100, height: 760 })
  await page.goto(`${server.url}/`)
  await page.waitForURL(/login\.html/)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${server.url}/`)
  await expect(page.getByTestId('status')).toHaveText('authenticated')
  // From here the page's clock moves only when the test moves it, so the countdown below does
  // not depend on how long the browser took over the clicks (Firefox took over a second).
  await context.clock.pauseAt(await page.evaluate(() => Date.now() + 1000))
  const refreshes = Number(await page.getByTestId('refreshes').textContent())
  await page.getByRole('button', { name: 'Expire access token now' }).click()
  await page.getByRole('button', { name: 'Call /api/me' }).click()
  await expect(page.locator('#api')).toHaveText('200 Demo User')
  await expect(page.getByTestId('refreshes')).toHaveText(String(refreshes + 1))
  await context.clock.runFor(21_000)
  await expect(page.locator('#warning')).toBeVisible()
  await expect(page.getByTestId('countdown')).toHaveText('9') // 30 s idle - 21 s, exactly
  await page.screenshot({ path: testInfo.outputPath('demo.png') })
  if (process.env.DEMO_SCREENSHOT && browserName === 'chromium') await page.screenshot({ path: process.env.DEMO_SCREENSHOT })
  await context.clock.resume()
  await page.getByRole('button', { name: 'Stay signed in' }).click()
  await expect(page.locator('#warning')).toBeHidden()
  await expect(page.getByTestId('presence')).toHaveText('active')
})
