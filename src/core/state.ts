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
  version: 0,
  warning: null,
})

/** The next snapshot, or the same object when nothing changed (so listeners aren't woken). */
export function nextState(state: SessionState, patch: Partial<SessionState>): SessionState {
  for (const key in patch) {
    if (!Object.is((patch as any)[key], (state as any)[key])) return Object.freeze({ ...state, ...patch })
  }
  return state
}
