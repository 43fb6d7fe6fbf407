// Idle versus active: deadlines are wall-clock instants derived from the last activity,
// and a single timer is armed for the nearest one. Activity only moves a timestamp; when
// the timer fires, it re-evaluates against now() and re-arms for the new nearest instant.
import { createDeadline } from '../core/clock.js'
import type { Presence, SessionEvents, Timers, WarningReason } from '../core/types.js'
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
  onChange: (snapshot: PresenceSnapshot) => void
  onEvent: <E extends PresenceEvent>(event: E, payload: SessionEvents[E]) => void
  /** Local DOM activity (the session throttles and shares it with other tabs). */
  onLocalActivity?: (at: number) => void
  onIdle?: () => void
  onExpired?: () => void
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

const RESTING: PresenceSnapshot = Object.freeze({ presence: 'active', idleAt: null, warnAt: null, warning: null })

export function createPresenceTracker(idle: NormalizedIdle | null, absoluteWarnBefore: number, cb: PresenceCallbacks): PresenceTracker {
  const { now } = cb
  let running = false
  let last = 0
  let presence: Presence = 'active'
  let absoluteAt: number | null = null
  let expiringFired = false
  let expiredFired = false
  let snap = RESTING
  let unlisten = () => {}
  const timer = createDeadline(now, cb.timers, () => evaluate())

  const idleAt = () => (idle ? last + idle.timeout : null)
  const warnAt = () => (idle ? last + idle.timeout - idle.warnBefore : null)

  /** Brings presence up to date with now(), firing what is due, and arms the next instant. */
  function evaluate() {
    if (!running) return
    const t = now()
    const idleDue = idleAt()
    const warnDue = warnAt()
    const next: Presence = idleDue === null ? 'active' : t >= idleDue ? 'idle' : t >= warnDue! ? 'warning' : 'active'
    if (next !== presence) {
      presence = next
      if (next === 'warning') cb.onEvent('warning', { deadline: idleDue!, reason: 'idle' })
      else if (next === 'idle') cb.onEvent('idle', { at: idleDue! })
      else cb.onEvent('active', { at: t })
      if (next === 'idle') cb.onIdle?.()
    }
    let expiring = false
    if (absoluteAt !== null) {
      expiring = t >= absoluteAt - absoluteWarnBefore
      if (expiring && !expiringFired) {
        expiringFired = true
        cb.onEvent('expiring', { deadline: absoluteAt })
      }
      if (t >= absoluteAt && !expiredFired) {
        expiredFired = true
        cb.onExpired?.()
      }
    }
    publish(
      presence === 'warning' ? { deadline: idleDue!, reason: 'idle' } : expiring && !expiredFired ? { deadline: absoluteAt!, reason: 'absolute' } : null,
    )
    // The nearest future instant among those still ahead; none when nothing is due.
    const ahead = [presence === 'active' ? warnDue : null, presence !== 'idle' ? idleDue : null]
    if (absoluteAt !== null) ahead.push(expiringFired ? null : absoluteAt - absoluteWarnBefore, expiredFired ? null : absoluteAt)
    const due = ahead.filter((x): x is number => x !== null && x > t)
    timer.set(due.length ? Math.min(...due) : null)
  }

  function publish(warning: PresenceSnapshot['warning']) {
    const next = { presence, idleAt: idleAt(), warnAt: warnAt(), warning }
    if (next.presence !== snap.presence || next.idleAt !== snap.idleAt || next.warnAt !== snap.warnAt || next.warning?.deadline !== snap.warning?.deadline || next.warning?.reason !== snap.warning?.reason) {
      snap = next
      cb.onChange(snap)
    }
  }

  /** Counts activity at `at`: deadlines already passed are honoured first, never rescued. */
  function activity(at: number, explicit = false) {
    if (!running || !idle || at <= last) return
    // Hot path: nothing is due before `at`, so moving the timestamp is all there is to do.
    const due = timer.at()
    if (presence === 'active' && (due === null || at < due)) {
      last = at
      return
    }
    evaluate()
    if (!running) return
    if (presence === 'idle' && idle.onIdle === 'signOut') return // signing out; too late
    if (presence === 'warning' && !explicit && !idle.dismissOnActivity) return // a stray mousemove must not extend
    last = Math.max(last, at)
    evaluate()
  }

  const onDomActivity = () => {
    const t = now()
    activity(t)
    cb.onLocalActivity?.(t)
  }

  return {
    start() {
      if (running) return
      running = true
      last = now()
      presence = 'active'
      if (idle) unlisten = listenForActivity(idle.events, idle.target, onDomActivity)
      evaluate()
    },
    stop() {
      running = false
      unlisten()
      unlisten = () => {}
      timer.set(null)
      presence = 'active'
      absoluteAt = null
      expiringFired = expiredFired = false
      if (snap !== RESTING) cb.onChange((snap = RESTING))
    },
    activity: (at) => activity(at),
    stayActive(at = now()) {
      activity(Math.max(at, last + 1), true)
    },
    setAbsoluteExpiry(at) {
      if (at === absoluteAt) return
      absoluteAt = at
      expiringFired = expiredFired = false
      evaluate()
    },
    check: evaluate,
    remaining() {
      const t = now()
      const deadlines = [running ? idleAt() : null, running ? absoluteAt : null].filter((x): x is number => x !== null)
      return deadlines.length ? Math.max(0, Math.min(...deadlines) - t) : Infinity
    },
    snapshot: () => snap,
    lastActivity: () => last,
  }
}
