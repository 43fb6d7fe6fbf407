// The idle part: activity (DOM, and other tabs'), the pre-timeout warning with its
// countdown, stayActive(), idle sign-out, and the warning before the absolute expiry.
//   createSession({ use: [idle({ timeout: 15 * 60_000, warnBefore: 60_000 })] })
import type { Part } from '../../core/types.js'
import { normalizeIdle } from './options.js'
import { createPresenceTracker } from './tracker.js'

export interface IdleOptions {
  /** ms without activity before the user is idle. */
  timeout: number
  /** ms before `timeout` at which the warning shows (must be < timeout; default 60_000, or a quarter of shorter timeouts). */
  warnBefore?: number
  /** DOM events counted as activity. */
  events?: readonly string[]
  /** Where activity listeners go (default: document). */
  target?: EventTarget
  /** Whether activity dismisses a showing warning (default false: only stayActive() does). */
  dismissOnActivity?: boolean
  /** 'signOut' (default) signs out with reason 'idle'; 'none' only reports. */
  onIdle?: 'signOut' | 'none'
  /** ms before the absolute expiry at which `expiring` fires and the warning shows (default 60_000). */
  absoluteWarnBefore?: number
}

export interface IdleMethods {
  /** "Stay signed in": dismisses the warning and counts as activity in every tab. */
  stayActive(): void
  /** ms until the idle deadline or the absolute expiry, whichever is first (Infinity: none). */
  getRemainingTime(): number
}

export function idle(options: IdleOptions): Part<IdleMethods> {
  const opts = normalizeIdle(options)
  return {
    setup(ctx) {
      const { now, timers } = ctx
      let lastShared = -Infinity
      let sharing: unknown = null // timer for the trailing activity broadcast
      const tracker = createPresenceTracker(opts, opts.absoluteWarnBefore, {
        now,
        timers,
        onChange: ctx.set,
        onEvent: ctx.emit as never,
        onLocalActivity: share,
        onEnd: ctx.end,
      })
      // Leading and trailing edge, at most one message a second: activity storms stay local.
      function share(at: number) {
        if (!ctx.crossTab || sharing !== null) return
        const send = () => {
          sharing = null
          lastShared = now()
          ctx.post('activity', { at: tracker.lastActivity() })
        }
        const wait = lastShared + 1_000 - at
        if (wait > 0) sharing = timers.setTimeout(send, wait)
        else send()
      }
      // Another tab's clock can only be behind: a time ahead of ours (skew, or a forged message)
      // would hold off the idle deadline, so it counts as now.
      ctx.receive('activity', 'at:t', (m) => tracker.activity(Math.min(m.at, ctx.now())))
      ctx.receive('stayActive', 'at:t', (m) => tracker.stayActive(Math.min(m.at, ctx.now())))
      ctx.on('hello', () => ctx.post('activity', { at: tracker.lastActivity() }))
      ctx.on('wake', tracker.check)
      ctx.on('change', ([s, p]) => {
        if (s.status == 'authenticated' && p.status != 'authenticated') tracker.start()
        if (s.status == 'signedOut' && p.status != 'signedOut') tracker.stop()
        if (s.absoluteExpiresAt != p.absoluteExpiresAt) tracker.setAbsoluteExpiry(s.absoluteExpiresAt)
      })
      ctx.on('destroy', () => {
        tracker.stop()
        timers.clearTimeout(sharing)
      })
      return {
        stayActive() {
          const at = now()
          tracker.stayActive(at)
          ctx.post('stayActive', { at })
        },
        getRemainingTime: tracker.remaining,
      }
    },
  }
}
