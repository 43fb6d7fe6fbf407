// demo/react and demo/vue (built by Vite in global-setup) against the mock server, in both browsers.
import { test, expect } from './fixtures.js'

for (const name of ['react', 'vue']) {
  test(`the ${name} demo signs in, shows the state, warns with a countdown, and stays signed in`, async ({ page, server, context }) => {
    await context.clock.install()
    await page.goto(`${server.url}/${name}/`)
    await page.waitForURL(/login\.html/)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.url}/${name}/`)
    await expect(page.getByTestId('status')).toHaveText('authenticated')
    await context.clock.runFor(21_000)
    await expect(page.getByTestId('presence')).toHaveText('warning')
    await expect(page.locator('dialog')).toBeVisible()
    await expect(page.getByTestId('countdown')).toHaveText(/^(9|10)$/)
    await page.getByRole('button', { name: 'Stay signed in' }).click()
    await expect(page.getByTestId('presence')).toHaveText('active')
    await expect(page.locator('dialog')).toBeHidden()
  })
}
