// The return-to part: the intended URL survives re-login. Forced sign-outs save it (per tab),
// the login page consumes it once, and only ever as a same-origin path.
//   createSession({ use: [returnTo({ param: 'returnTo' })] })
import { object, read } from '../../base/validate.js'
import type { Part } from '../../core/types.js'
import { createReturnTo } from './return-to.js'

export interface ReturnToOptions {
  /** The login URL's query parameter that carries the path (default 'returnTo'). */
  param?: string
  /** Where the path is kept between the redirect and the login page (default 'session': per tab). */
  storage?: 'session' | 'local' | 'none'
}

export interface ReturnToMethods {
  /** Saves a same-origin path (default: the current URL) to come back to after login. */
  saveReturnTo(url?: string): void
  /** The saved or query-supplied path, exactly once (then `fallback`, default '/'). */
  consumeReturnTo(fallback?: string): string
  /** Sends the browser to loginUrl with the return path in the query. */
  redirectToLogin(options?: { returnTo?: string }): void
  /** The login URL with the return path, for a link. */
  loginHref(returnTo?: string): string
}

const SPEC = 'param:s:returnTo storage:e:session|local|none'

export function returnTo(options?: ReturnToOptions): Part<ReturnToMethods> {
  const opts = read(SPEC, object('returnTo', options), 'returnTo.', SPEC) as Required<ReturnToOptions>
  return {
    setup(ctx) {
      const r = createReturnTo({ ...opts, key: `${ctx.name}:returnTo`, loginUrl: ctx.loginUrl })
      // Forced sign-outs (in this tab or another) keep the place; a chosen logout does not, unless asked.
      ctx.on('ending', (e) => {
        if (e.save) e.returnTo = r.save()
      })
      return {
        saveReturnTo: (url) => void r.save(url),
        consumeReturnTo: r.consume,
        redirectToLogin: ({ returnTo: url } = {}) => r.redirect(url),
        loginHref: r.loginHref,
      }
    },
  }
}

export { toSafeReturnTo } from './safe-url.js'
