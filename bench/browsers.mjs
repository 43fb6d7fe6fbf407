// The real browsers the benchmarks drive (Debian Chromium and Firefox ESR via playwright-core;
// CHROMIUM_PATH / FIREFOX_PATH override), and the loop both cross-tab benchmarks run them in.
import { chromium, firefox } from 'playwright-core'
import { existsSync } from 'node:fs'

export const BROWSERS = [
  ['chromium', chromium, process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', { args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking'] }],
  // Firefox ESR is driven over WebDriver BiDi (channel 'moz-firefox').
  ['firefox', firefox, process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', { channel: 'moz-firefox' }],
]

/** Launches each browser in turn and runs `run(browser, name)`; a missing one is a row with its error. */
export async function forEachBrowser(results, run) {
  for (const [name, type, path, extra] of BROWSERS) {
    if (!existsSync(path)) {
      results.push({ browser: name, error: `${path} not found` })
      continue
    }
    const browser = await type.launch({ executablePath: path, ...extra })
    try {
      await run(browser, name)
    } finally {
      await browser.close()
    }
  }
}
