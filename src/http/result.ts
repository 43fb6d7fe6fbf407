import { DEV } from '../base/dev.js'
import { isObject } from '../base/validate.js'

/** (0, 10 years] in seconds: a deadline is only as good as the number it comes from. */
const seconds = (v: unknown) => typeof v == 'number' && v > 0 && v <= 315_360_000

/**
 * Checks a refresh/sign-in result; returns what is wrong with it (for the error message),
 * or null when it is usable. A server's bad reply is checked in every build; production
 * builds name only the field.
 */
export function problemWith(r: unknown, bearer: boolean): string | null {
  if (!isObject(r)) return DEV ? 'the result is not an object' : 'result'
  for (const field of ['expiresIn', 'absoluteExpiresIn'])
    if ((field == 'expiresIn' || r[field] !== undefined) && !seconds(r[field])) return DEV ? `\`${field}\` is not a number of seconds in (0, 10 years]` : field
  const token = r.accessToken
  if (token === undefined ? bearer : typeof token != 'string' || !token)
    return DEV ? `\`accessToken\` is ${token === undefined ? 'missing (credentials: bearer)' : 'not a non-empty string'}` : 'accessToken'
  const next = r.refreshToken
  if (next !== undefined && !(typeof next == 'string' && next && next.length <= 8192)) return DEV ? '`refreshToken` is not a non-empty string' : 'refreshToken'
  return null
}

/** `r` as an error may carry it: the tokens replaced by "[redacted]" (errors end up in logs). */
export const withoutTokens = (r: unknown) => (isObject(r) ? { ...r, accessToken: r.accessToken && '[redacted]', refreshToken: r.refreshToken && '[redacted]' } : r)
