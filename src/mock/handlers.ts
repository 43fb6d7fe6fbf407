// The mock as msw 2.x handlers: `setupServer(...handlers)` in Node, `setupWorker(...handlers)`
// in a browser. The only file that imports msw; it just forwards to the shared app.
import { http, HttpResponse } from 'msw'
import { createMockApp } from './app.js'
import { MemoryCookieJar } from './cookies.js'
import type { MockApp, MockControl, MockOptions } from './types.js'

export interface MockHandlersOptions extends MockOptions {
  /**
   * Keep the mock's cookies in a jar inside the handlers and present them on later requests.
   * Needed in a browser: a service worker's Set-Cookie never reaches the browser's cookie
   * store, and a page cannot set `Cookie` on a request. Default: true when `document`
   * exists (browser, happy-dom), false in plain Node, where the caller's fetch (or a test's
   * own jar) handles cookies.
   */
  cookieJar?: boolean
  /** Share an app (and its control) with another runtime instead of creating one. */
  app?: MockApp
}

export function createMockHandlers(options: MockHandlersOptions = {}) {
  const { cookieJar, app: given, ...appOptions } = options
  const app = given ?? createMockApp(appOptions)
  const jar = (cookieJar ?? typeof document !== 'undefined') ? new MemoryCookieJar(appOptions.now ?? Date.now) : null

  const handlers = [
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
  return { handlers, control }
}

/** The jar's cookies come first: they are the ones the mock itself set most recently. */
function mergeCookies(own: string | null, fromJar: string | null): string | null {
  if (own && fromJar) return `${fromJar}; ${own}`
  return fromJar ?? own
}
