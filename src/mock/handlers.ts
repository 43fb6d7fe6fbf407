// The mock as msw 2.x handlers: `setupServer(...handlers)` in Node, `setupWorker(...handlers)`
// in a browser. The only file that imports msw; it just forwards to the shared app.
import { http, HttpResponse, type HttpHandler } from 'msw'
import { OptionError } from '../index.js'
import { createMockApp } from './app.js'
import { MemoryCookieJar } from './cookies.js'
import type { MockApp, MockControl, MockOptions } from './types.js'

/** Where relative URLs go when there is no page to resolve them against (plain Node). */
export const DEFAULT_MOCK_ORIGIN = 'http://localhost'

export interface MockHandlersOptions extends MockOptions {
  /**
   * Keep the mock's cookies in a jar inside the handlers and present them on later requests
   * (default true). Needed wherever msw answers: a service worker's Set-Cookie never reaches
   * the browser's cookie store, a page cannot set `Cookie` on a request, Node's fetch keeps
   * no cookies, and a DOM test environment's own fetch is bypassed by msw. Turn it off only
   * when your fetch carries the cookies itself (a cookie-jar fetch of your own).
   */
  cookieJar?: boolean
  /**
   * The origin the returned `fetch` resolves relative URLs against. Default: the page's own
   * resolution where there is a page (browser, happy-dom, jsdom), else `http://localhost`.
   * The handlers themselves answer the mock's routes on any origin.
   */
  origin?: string
  /** Share an app (and its control) with another runtime instead of creating one. */
  app?: MockApp
}

export interface MockHandlers {
  /** For `setupServer(...handlers)` (Node, DOM test environments) or `setupWorker(...handlers)` (browser). */
  handlers: HttpHandler[]
  control: MockControl
  /**
   * `globalThis.fetch`, looked up per call (so msw's interception applies), with relative URLs
   * resolved against `origin` where there is no page: pass it as `createSession({ fetch })` in
   * plain Node, where a relative URL means nothing to fetch.
   */
  fetch: typeof globalThis.fetch
  /** Where relative URLs go: the `origin` option, else the page's origin, else `http://localhost`. */
  origin: string
}

export function createMockHandlers(options: MockHandlersOptions = {}): MockHandlers {
  const { cookieJar = true, origin: originOption, app: given, ...appOptions } = options
  if (typeof cookieJar !== 'boolean') throw new OptionError('cookieJar', 'a boolean', cookieJar)
  const origin = originOption === undefined ? undefined : checkOrigin(originOption)
  const app = given ?? createMockApp(appOptions)
  const jar = cookieJar ? new MemoryCookieJar(app.now) : null

  const handlers: HttpHandler[] = [
    http.all('*', async ({ request }) => {
      const path = new URL(request.url).pathname
      let response: Response | null
      try {
        response = await app.handle(
          request,
          jar ? { cookie: mergeCookies(request.headers.get('Cookie'), jar.header(path)), onSetCookie: (value) => jar.set(value, path) } : undefined,
        )
      } catch (error) {
        // The client gave up (a 'hang' it aborted): nobody reads this answer, and msw would
        // otherwise log the abort as an unhandled exception.
        if (request.signal.aborted || (error as Error)?.name === 'AbortError') return HttpResponse.error()
        throw error
      }
      // Not one of ours: undefined lets later handlers (or onUnhandledRequest) decide.
      if (!response) return undefined
      // A network failure, as msw spells it (fetch rejects with a TypeError).
      if (response.type === 'error') return HttpResponse.error()
      return response
    }),
  ]
  const control: MockControl = app.control

  const fetch: typeof globalThis.fetch = (input, init) => {
    const base = origin ?? (hasPage() ? undefined : DEFAULT_MOCK_ORIGIN)
    if (base !== undefined && (typeof input === 'string' || input instanceof URL)) input = new URL(input, base)
    return globalThis.fetch(input, init)
  }
  return { handlers, control, fetch, origin: origin ?? (hasPage() ? location.origin : DEFAULT_MOCK_ORIGIN) }
}

const hasPage = () => typeof location !== 'undefined' && /^https?:$/.test(location.protocol)

function checkOrigin(value: unknown): string {
  let url: URL | null = null
  try {
    url = typeof value === 'string' ? new URL(value) : null
  } catch {
    // reported below
  }
  // Compared by parts, not by spelling: `HTTP://Host:80/` is the origin `http://host`.
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.pathname !== '/' || /[?#]/.test(String(value)))
    throw new OptionError('origin', "an http(s) origin like 'http://localhost' (no path)", value)
  return url.origin
}

/** The jar's cookies come first: they are the ones the mock itself set most recently. */
function mergeCookies(own: string | null, fromJar: string | null): string | null {
  if (own && fromJar) return `${fromJar}; ${own}`
  return fromJar ?? own
}
