// Errors are classes so apps can `instanceof` them; messages never include tokens.

// Names are literal: minifiers rename classes, and apps compare `error.name`.
export class SessionError extends Error {
  override name = 'SessionError'
}

/** An option passed to createSession (or a mock/adapter factory) is wrong. */
export class OptionError extends SessionError {
  override name = 'OptionError'
  constructor(
    readonly option: string,
    expected: string,
    readonly received: unknown,
  ) {
    super(`session-continuity: option \`${option}\` must be ${expected}; received ${describe(received)}`)
  }
}

/** The server said the session is gone (401/403 on refresh, or reuse detected → 'revoked'). */
export class SessionEndedError extends SessionError {
  override name = 'SessionEndedError'
  constructor(
    readonly status: number,
    readonly reason: 'refreshFailed' | 'revoked' = 'refreshFailed',
  ) {
    super(`session-continuity: the session has ended (refresh answered ${status})`)
  }
}

/** A refresh failed for a reason that may pass (network, 5xx, timeout, malformed reply). */
export class TransientRefreshError extends SessionError {
  override name = 'TransientRefreshError'
  constructor(
    message: string,
    readonly status: number | null = null,
    /** Server's Retry-After, in ms, when it sent one. */
    readonly retryAfter: number | null = null,
  ) {
    super(`session-continuity: refresh failed (${message})`)
  }
}

/** A cross-tab lock was not granted in time. */
export class LockTimeoutError extends SessionError {
  override name = 'LockTimeoutError'
  constructor(
    readonly lock: string,
    readonly waitedMs: number,
  ) {
    super(`session-continuity: lock "${lock}" not granted within ${waitedMs} ms`)
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 60) + '…' : value)
  if (value === null || typeof value !== 'object') return String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}
