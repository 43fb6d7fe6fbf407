// Errors are classes so apps can `instanceof` them; messages never include tokens.
// Names are literal: minifiers rename classes, and apps compare `error.name`.
// (Fields are `declare`d and assigned once: no duplicate field initialisers in the bundle.)

export class SessionError extends Error {
  override name = 'SessionError'
}

/** An option passed to createSession (or a mock/adapter factory) is wrong. */
export class OptionError extends SessionError {
  override name = 'OptionError'
  declare readonly option: string
  declare readonly received: unknown
  constructor(option: string, expected: string, received: unknown) {
    super(`session-continuity: option \`${option}\` must be ${expected}; received ${describe(received)}`)
    Object.assign(this, { option, received })
  }
}

/** The server said the session is gone (401/403 on refresh, or reuse detected → 'revoked'). */
export class SessionEndedError extends SessionError {
  override name = 'SessionEndedError'
  declare readonly status: number
  declare readonly reason: 'refreshFailed' | 'revoked'
  constructor(status: number, reason: 'refreshFailed' | 'revoked' = 'refreshFailed') {
    super(`session-continuity: the session has ended (refresh answered ${status})`)
    Object.assign(this, { status, reason })
  }
}

/** A refresh failed for a reason that may pass (network, 5xx, timeout, malformed reply). */
export class TransientRefreshError extends SessionError {
  override name = 'TransientRefreshError'
  declare readonly status: number | null
  /** Server's Retry-After, in ms, when it sent one. */
  declare readonly retryAfter: number | null
  constructor(message: string, status: number | null = null, retryAfter: number | null = null) {
    super(`session-continuity: refresh failed (${message})`)
    Object.assign(this, { status, retryAfter })
  }
}

/** A cross-tab lock was not granted in time. */
export class LockTimeoutError extends SessionError {
  override name = 'LockTimeoutError'
  declare readonly lock: string
  declare readonly waitedMs: number
  constructor(lock: string, waitedMs: number) {
    super(`session-continuity: lock "${lock}" not granted within ${waitedMs} ms`)
    Object.assign(this, { lock, waitedMs })
  }
}

/** A value, short and safe for a message: strings quoted and cut, objects only named. */
export function describe(value: unknown): string {
  if (typeof value == 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 60) + '…' : value)
  return value === null || typeof value != 'object' ? String(value) : Array.isArray(value) ? 'an array' : 'an object'
}
