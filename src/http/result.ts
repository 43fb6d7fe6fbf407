import type { RefreshResult } from '../core/types.js'

const TEN_YEARS_S = 10 * 365 * 24 * 3600
const seconds = (v: unknown) => typeof v === 'number' && v > 0 && v <= TEN_YEARS_S

/**
 * Checks a refresh/sign-in result; returns what is wrong with it (for the error message),
 * or null when it is usable. Absurd values are refused: a deadline is only as good as them.
 */
export function problemWith(result: unknown, bearer: boolean): string | null {
  if (typeof result !== 'object' || result === null) return 'the result is not an object'
  const r = result as Record<string, unknown>
  if (!seconds(r.expiresIn)) return '`expiresIn` is not a number of seconds in (0, 10 years]'
  if (r.absoluteExpiresIn !== undefined && !seconds(r.absoluteExpiresIn)) return '`absoluteExpiresIn` is not a number of seconds in (0, 10 years]'
  if (r.accessToken !== undefined && (typeof r.accessToken !== 'string' || !r.accessToken)) return '`accessToken` is not a non-empty string'
  if (bearer && r.accessToken === undefined) return '`accessToken` is missing (credentials: bearer)'
  return null
}

export type { RefreshResult }
