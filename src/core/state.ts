import type { SessionState } from './types.js'

export const initialState: SessionState = Object.freeze({
  status: 'unknown',
  presence: 'active',
  refreshing: false,
  expiresAt: null,
  idleAt: null,
  warnAt: null,
  absoluteExpiresAt: null,
  user: null,
  reason: null,
  fromOtherTab: false,
  version: 0,
  warning: null,
  stale: false,
})

/** Objects (user, warning) are equal when their JSON is: a refresh returning the same user keeps its identity. */
const same = (a: unknown, b: unknown) => a === b || (!!a && !!b && typeof a == 'object' && JSON.stringify(a) === JSON.stringify(b))

/**
 * The next snapshot, or the same object when nothing changed (so listeners aren't woken).
 * Unchanged fields keep their previous values, so selectors that return them stay stable.
 */
export function nextState(state: SessionState, patch: Partial<SessionState>): SessionState {
  let next: Record<string, unknown> | undefined
  for (const key in patch) {
    const value = (patch as any)[key]
    if (!same(value, (state as any)[key])) (next ??= { ...state })[key] = value
  }
  return next ? Object.freeze(next as unknown as SessionState) : state
}

/** A comparable identity for `userChanged` (id, sub, or the whole JSON). */
export const identity = (user: any) => (user && typeof user == 'object' ? String(user.id ?? user.sub ?? JSON.stringify(user)) : user)
