// Fixtures for the identity-provider specs: one OP + SPA server per worker (reset before each
// test), sign-in through the OP's own login and consent pages, more tabs, and a scan of the
// browser for the refresh tokens the OP issued.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test'
import { startIdp, type Idp } from './op.js'

export const test = base.extend<{ idp: Idp }, { idpWorker: Idp }>({
  idpWorker: [
    async ({}, use) => {
      const idp = await startIdp()
      await use(idp)
      await idp.close()
    },
    { scope: 'worker' },
  ],
  // No request leaves the machine: one to any other host fails at once.
  context: async ({ context }, use) => {
    await context.route(/^https?:\/\/(?!localhost[:/]|127\.0\.0\.1[:/])/, (route) => route.abort())
    await use(context)
  },
  idp: async ({ idpWorker }, use) => {
    idpWorker.reset()
    await use(idpWorker)
  },
})
export { expect }

/** Waits for the page's start-up (a module script with top-level await: 'load' may come first). */
export async function whenReady(page: Page) {
  // A script error (an option the session refuses, a failed import) fails at once, with its message.
  let onError!: (error: Error) => void
  const failed = new Promise<never>((_, reject) => page.on('pageerror', (onError = (error) => reject(new Error(`the page failed: ${error.message}`)))))
  try {
    await Promise.race([page.waitForFunction(() => (window as any).ready).then(() => page.evaluate(() => (window as any).ready)), failed])
  } finally {
    page.off('pageerror', onError)
  }
}

/** Opens the SPA in a new tab of `context` and waits for its session to start. */
export async function openTab(context: BrowserContext, idp: Idp): Promise<Page> {
  const page = await context.newPage()
  await page.goto(idp.page)
  await whenReady(page)
  return page
}

/** Signs in through the OP: the SPA's button, the OP's login page, its consent page, the callback. */
export async function signInThroughOp(page: Page, idp: Idp, login = 'ada'): Promise<void> {
  await page.click('#signin:enabled')
  await page.waitForURL((url) => url.origin == idp.issuer && url.pathname.startsWith('/interaction/'))
  await page.fill('input[name=login]', login)
  await page.fill('input[name=password]', 'any password')
  await page.click('button[type=submit]')
  await expect(page.locator('button[type=submit]')).toHaveText(/Continue/)
  await page.click('button[type=submit]')
  await page.waitForURL((url) => url.href.startsWith(idp.page))
  await whenReady(page)
  await expect.poll(() => page.evaluate(() => (window as any).session.getState().status)).toBe('authenticated')
}

export { stateOf, eventsOf } from '../page-state.js'

/**
 * Fails if any refresh token the OP issued (or access token: memory only too) is anywhere the
 * page can persist or show it: localStorage, sessionStorage, the SPA origin's cookies, the
 * session state, the event log.
 */
export async function expectNoRefreshTokenExposed(context: BrowserContext, pages: Page[], idp: Idp) {
  expect(idp.refreshTokens.length).toBeGreaterThan(0)
  const cookies = JSON.stringify(await context.cookies(idp.spa))
  for (const page of pages) {
    if (page.isClosed()) continue
    const dump = await page.evaluate(() => {
      const storage = (s: Storage) => JSON.stringify(Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i), s.getItem(s.key(i)!)])))
      const w = window as any
      return { local: storage(localStorage), session: storage(sessionStorage), cookie: document.cookie, state: JSON.stringify(w.session.getState()), events: JSON.stringify(w.events) }
    })
    for (const [kind, tokens] of [['refresh', idp.refreshTokens], ['access', idp.accessTokens]] as const)
      for (const token of tokens)
        for (const [where, text] of Object.entries({ ...dump, cookies })) expect(text.includes(token), `an ${kind} token in ${where}`).toBe(false)
  }
}
