import { test, expect } from './fixtures.js'

test('the script-tag IIFE exposes SessionContinuity and works against the server', async ({ page, server }) => {
  await page.goto(`${server.url}/e2e/harness.html?nostart`)
  const api = await page.evaluate(() => Object.keys((window as any).SessionContinuity).sort())
  expect(api).toEqual(expect.arrayContaining(['createSession', 'OptionError', 'SessionEndedError', 'toSafeReturnTo']))
  // Error names survive minification (apps compare error.name).
  const error = await page.evaluate(() => {
    try {
      ;(window as any).SessionContinuity.createSession({ credentials: 'jwt' })
    } catch (e: any) {
      return { name: e.name, option: e.option, isOptionError: e instanceof (window as any).SessionContinuity.OptionError }
    }
  })
  expect(error).toEqual({ name: 'OptionError', option: 'credentials', isOptionError: true })
  await page.evaluate(() => (window as any).login())
  expect(await page.evaluate(() => (window as any).session.fetch('/api/me').then((r: Response) => r.json()))).toEqual({ user: expect.objectContaining({ username: 'demo' }) })
})

test('the ESM build works when a page imports it', async ({ page, server }) => {
  await page.request.post(`${server.url}/auth/login`, { data: { username: 'demo', password: 'demo' } })
  await page.goto(`${server.url}/e2e/esm.html`)
  const result = await page.evaluate(() => (window as any).result)
  expect(result).toMatchObject({ status: 'authenticated', safe: '/a?b#c', unsafe: null })
  expect(result.api).toContain('fetch')
})
