// Real browsers: Debian's Chromium and Firefox ESR (README, "The two commands"). A Playwright-managed
// browser is preferred when installed; CHROMIUM_PATH / FIREFOX_PATH override the system paths.
// A missing browser fails the run with the install line (no test is skipped silently).
import { defineConfig } from '@playwright/test'
import { existsSync } from 'node:fs'
import { chromium, firefox } from 'playwright-core'

function browserPath(envVar: string, managed: () => string, system: string): string | undefined {
  const fromEnv = process.env[envVar]
  if (fromEnv) return fromEnv
  try {
    if (existsSync(managed())) return undefined // Playwright's own build: let it choose
  } catch {}
  if (existsSync(system)) return system
  throw new Error(`${system} not found: install it with \`sudo apt-get install -y chromium firefox-esr\` (or set ${envVar})`)
}

const chromiumPath = browserPath('CHROMIUM_PATH', () => chromium.executablePath(), '/usr/bin/chromium')
const firefoxPath = browserPath('FIREFOX_PATH', () => firefox.executablePath(), '/usr/bin/firefox-esr')

export default defineConfig({
  testDir: '.',
  globalSetup: './global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? 'line' : [['list']],
  use: { trace: 'retain-on-failure' },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          ...(chromiumPath ? { executablePath: chromiumPath } : {}),
          args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        },
      },
    },
    {
      name: 'firefox',
      use: {
        browserName: 'firefox',
        ...(firefoxPath ? { channel: 'moz-firefox', launchOptions: { executablePath: firefoxPath } } : {}),
      },
    },
  ],
})
