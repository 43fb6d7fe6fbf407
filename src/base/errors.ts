// Errors are classes so apps can `instanceof` them; messages never include tokens.
// Names are literal (minifiers rename classes, and apps compare `error.name`), and fields
// are assigned in the base constructor: no class-field helpers in the ES2020 bundle.
import { DEV } from './dev.js'

export class SessionError extends Error {
  constructor(message?: string, fields?: object, name = 'SessionError') {
    super(message && `session-continuity: ${message}`)
    Object.assign(this, fields, { name })
  }
}

/**
 * An option passed to createSession (or a part, mock or adapter factory) is wrong.
 * Development builds say what was expected and what came; production builds keep the
 * option's name and a code for the README's error table (the expectations cost bytes).
 */
export class OptionError extends SessionError {
  declare readonly option: string
  declare readonly received: unknown
  constructor(option: string, expected: string, received: unknown) {
    super(
      DEV ? `option \`${option}\` must be ${expected}; received ${describe(received)}` : `E_OPTION \`${option}\``,
      { option, received },
      'OptionError',
    )
  }
}

/**
 * The session is gone: the refresh answered 401/403 (or an identity provider's
 * `invalid_grant`), or refresh-token reuse was detected ('revoked'). Throw it from a
 * custom `refresh` to sign out; anything else thrown there is treated as transient.
 */
export class SessionEndedError extends SessionError {
  declare readonly status: number
  declare readonly reason: 'refreshFailed' | 'revoked'
  constructor(status: number, reason: 'refreshFailed' | 'revoked' = 'refreshFailed') {
    super(`the session has ended (refresh answered ${status})`, { status, reason }, 'SessionEndedError')
  }
}

/** A refresh failed for a reason that may pass (network, 5xx, timeout, malformed reply). */
export class TransientRefreshError extends SessionError {
  declare readonly status: number | null
  /** Server's Retry-After, in ms, when it sent one. */
  declare readonly retryAfter: number | null
  constructor(message: string, status: number | null = null, retryAfter: number | null = null) {
    super(`refresh failed (${message})`, { status, retryAfter }, 'TransientRefreshError')
  }
}

/** A cross-tab lock was not granted in time. */
export class LockTimeoutError extends SessionError {
  declare readonly lock: string
  declare readonly waitedMs: number
  constructor(lock: string, waitedMs: number) {
    super(`lock "${lock}" not granted within ${waitedMs} ms`, { lock, waitedMs }, 'LockTimeoutError')
  }
}

/** A value, short and safe for a message: strings quoted and cut, objects only named. */
export function describe(value: unknown): string {
  if (typeof value == 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 60) + '…' : value)
  return value === null || typeof value != 'object' ? String(value) : Array.isArray(value) ? 'an array' : 'an object'
}
