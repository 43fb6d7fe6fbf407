import type { Timers } from './types.js'

// setTimeout clamps delays above 2^31-1 ms to 1 ms; cap and re-check instead.
const MAX_DELAY = 2 ** 31 - 1

export interface Deadline {
  /** Arms the single timer for the wall-clock instant `at` (null disarms). */
  set(at: number | null): void
  /** Fires now if the instant has passed (called on wake: timers may have been throttled). */
  check(): void
  at(): number | null
}

/**
 * One timer for one concern. A timer's delay is never trusted as elapsed time: when it
 * fires (or on check()), the instant is compared with now(), and re-armed if early.
 */
export function createDeadline(now: () => number, timers: Timers, onDue: () => void): Deadline {
  let due: number | null = null
  let id: unknown = null
  const disarm = () => {
    if (id !== null) timers.clearTimeout(id)
    id = null
  }
  const check = () => {
    if (due === null) return
    const left = due - now()
    if (left > 0) {
      disarm()
      id = timers.setTimeout(check, Math.min(left, MAX_DELAY))
      return
    }
    due = null
    disarm()
    onDue()
  }
  return {
    set(at) {
      due = at
      if (at === null) disarm()
      else check()
    },
    check,
    at: () => due,
  }
}

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
}
