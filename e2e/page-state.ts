// What every e2e page exposes (e2e/pages/page-kit.js), read from a test.
import type { Page } from '@playwright/test'

/** The page session's state. */
export const stateOf = (page: Page) => page.evaluate(() => (window as any).session.getState())
/** The page's event log, all of it or one event's entries. */
export const eventsOf = (page: Page, name?: string) =>
  page.evaluate((n) => (window as any).events.filter((e: any) => !n || e.name === n), name)
