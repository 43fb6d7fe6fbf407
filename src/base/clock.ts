import type { Timers } from './types.js'

// setTimeout clamps delays above 2^31-1 ms to 1 ms; cap and re-check instead.
const MAX_DELAY = 2 ** 31 - 1

export interface Deadline {
  /** Arms the single timer for the wall-clock instant `at` (null or Infinity disarms). */
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
  const check = () => {
    if (id !== null) timers.clearTimeout(id)
    id = null
    if (due === null) return
    const left = due - now()
    if (left > 0) id = timers.setTimeout(check, Math.min(left, MAX_DELAY))
    else {
      due = null
      onDue()
    }
  }
  return {
    set(at) {
      due = at !== null && at < Infinity ? at : null
      check()
    },
    check,
    at: () => due,
  }
}

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
}
