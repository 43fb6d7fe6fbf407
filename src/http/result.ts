import { DEV } from '../base/dev.js'
import { isObject } from '../base/validate.js'

/** A token: a non-empty string of at most 8 KiB. */
const text = (v: unknown) => typeof v == 'string' && !!v && v.length <= 8192

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
  // The limits other tabs hold a received message to (tabs/protocol.ts): what one tab adopts,
  // every tab can.
  const token = r.accessToken
  if (token === undefined ? bearer : !text(token))
    return DEV ? `\`accessToken\` is ${token === undefined ? 'missing (credentials: bearer)' : 'not a non-empty string of at most 8 KiB'}` : 'accessToken'
  const next = r.refreshToken
  if (next !== undefined && !text(next)) return DEV ? '`refreshToken` is not a non-empty string of at most 8 KiB' : 'refreshToken'
  if ((JSON.stringify(r.user) ?? '').length > 32_768) return DEV ? '`user` is over 32 KiB as JSON' : 'user'
  return null
}

/** `r` as an error may carry it: the tokens replaced by "[redacted]" (errors end up in logs). */
export const withoutTokens = (r: unknown) => (isObject(r) ? { ...r, accessToken: r.accessToken && '[redacted]', refreshToken: r.refreshToken && '[redacted]' } : r)
