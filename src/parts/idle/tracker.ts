// Idle versus active: deadlines are wall-clock instants derived from the last activity,
// and a single timer is armed for the nearest one. Activity only moves a timestamp; when
// the timer fires, it re-evaluates against now() and re-arms for the new nearest instant.
import { createDeadline } from '../../base/clock.js'
import type { Presence, SessionEvents, Timers, WarningReason } from '../../core/types.js'
import { listenForActivity } from './activity.js'
import type { NormalizedIdle } from './options.js'

export interface PresenceSnapshot {
  presence: Presence
  idleAt: number | null
  warnAt: number | null
  warning: { deadline: number; reason: WarningReason } | null
}

type PresenceEvent = 'warning' | 'active' | 'idle' | 'expiring'

export interface PresenceCallbacks {
  now: () => number
  timers: Timers
  /** The snapshot after every evaluation (the receiver drops what did not change). */
  onChange: (snapshot: PresenceSnapshot) => void
  onEvent: <E extends PresenceEvent>(event: E, payload: SessionEvents[E]) => void
  /** Local DOM activity (the session throttles and shares it with other tabs). */
  onLocalActivity?: (at: number) => void
  /** The user went idle (with onIdle 'signOut'). The session itself ends at the absolute expiry. */
  onEnd?: (reason: 'idle') => void
}

export interface PresenceTracker {
  start(): void
  stop(): void
  activity(at: number): void
  stayActive(at?: number): void
  setAbsoluteExpiry(at: number | null): void
  check(): void
  remaining(): number
  snapshot(): PresenceSnapshot
  lastActivity(): number
}

// Pure: bundlers drop it with the part (a bare call at module level would stay).
const RESTING: PresenceSnapshot = /* @__PURE__ */ Object.freeze({ presence: 'active', idleAt: null, warnAt: null, warning: null })

export function createPresenceTracker(idle: NormalizedIdle | null, absoluteWarnBefore: number, cb: PresenceCallbacks): PresenceTracker {
  const { now } = cb
  let running = false
  let last = 0
  let presence: Presence = 'active'
  let absoluteAt: number | null = null
  /** How far the absolute expiry has been reported: 0 nothing, 1 expiring, 2 expired. */
  let reported = 0
  let snap = RESTING
  let unlisten = () => {}
  const timer = createDeadline(now, cb.timers, () => evaluate())

  /** Brings presence up to date with now(), firing what is due, and arms the next instant. */
  function evaluate() {
    if (!running) return
    const t = now()
    const idleAt = idle && last + idle.timeout
    const warnAt = idle && idleAt! - idle.warnBefore
    const next: Presence = !idle ? 'active' : t >= idleAt! ? 'idle' : t >= warnAt! ? 'warning' : 'active'
    if (next != presence) {
      presence = next
      if (next == 'warning') cb.onEvent('warning', { deadline: idleAt!, reason: 'idle' })
      else cb.onEvent(next, { at: next == 'idle' ? idleAt! : t })
      if (next == 'idle' && idle!.onIdle == 'signOut') cb.onEnd?.('idle')
    }
    const expiringAt = absoluteAt! - absoluteWarnBefore
    const reached = absoluteAt === null ? 0 : t >= absoluteAt ? 2 : t >= expiringAt ? 1 : 0
    if (reached > reported) {
      if (!reported) cb.onEvent('expiring', { deadline: absoluteAt! })
      reported = reached
    }
    // The session keeps its state when nothing in the snapshot changed (compared by value).
    cb.onChange(
      (snap = {
        presence,
        idleAt,
        warnAt,
        warning: presence == 'warning' ? { deadline: idleAt!, reason: 'idle' } : reported == 1 ? { deadline: absoluteAt!, reason: 'absolute' } : null,
      }),
    )
    // The nearest instant still ahead (each is ahead exactly while it has not fired); none: no timer.
    timer.set(Math.min(...[warnAt, idleAt, absoluteAt && expiringAt, absoluteAt].map((x) => (x! > t ? x! : Infinity))))
  }

  /** Counts activity at `at`: deadlines that passed before `at` are honoured first, never rescued. */
  function activity(at: number, explicit?: boolean) {
    if (!running || !idle || at <= last) return
    // Hot path: nothing is due before `at`, so moving the timestamp is all there is to do.
    const due = timer.at()
    if (presence == 'active' && (due === null || at < due)) return void (last = at)
    const ending = () => presence == 'idle' && idle.onIdle == 'signOut'
    // Another tab's activity may land after a deadline it came before (latency, a frozen or
    // throttled tab): it counts as of `at`, as it did in that tab (unless already signing out).
    const idleAt = last + idle.timeout
    if (!ending() && at < idleAt && (at < idleAt - idle.warnBefore || explicit || idle.dismissOnActivity)) return void ((last = at), evaluate())
    evaluate()
    // Signing out (too late), or a warning that a stray mousemove must not dismiss.
    if (!running || ending() || (presence == 'warning' && !explicit && !idle.dismissOnActivity)) return
    last = at
    evaluate()
  }

  return {
    // Also while running: a sign-out called off (the session authenticated again while it was
    // 'signingOut') begins a fresh period, or the tracker would stay 'idle' with nothing due.
    start() {
      if (!running && idle)
        unlisten = listenForActivity(idle.events, idle.target, () => {
          const t = now()
          activity(t)
          cb.onLocalActivity?.(t)
        })
      running = true
      last = now()
      presence = 'active'
      evaluate()
    },
    stop() {
      running = false
      unlisten()
      unlisten = () => {}
      timer.set(null)
      presence = 'active'
      absoluteAt = null
      reported = 0
      cb.onChange((snap = RESTING))
    },
    activity: (at) => activity(at),
    stayActive: (at = now()) => activity(Math.max(at, last + 1), true),
    setAbsoluteExpiry(at) {
      if (at === absoluteAt) return
      absoluteAt = at
      reported = 0
      evaluate()
    },
    check: evaluate,
    remaining: () => (running ? Math.max(0, Math.min(idle ? last + idle.timeout : Infinity, absoluteAt ?? Infinity) - now()) : Infinity),
    snapshot: () => snap,
    lastActivity: () => last,
  }
}
