// The few checks every option goes through. Each failure is an OptionError that names the
// option; in development builds it also says what was expected and shows (a safe summary
// of) what was received. The checks run in production too: only the words are dropped.
import { DEV } from '../base/dev.js'
import { OptionError } from './errors.js'


export const fail = (option: string, expected: string, value: unknown): never => {
  throw new OptionError(option, expected, value)
}

export const isObject = (v: unknown): v is Record<string, any> => typeof v == 'object' && v !== null && !Array.isArray(v)

/** `fallback` when `value` is undefined, `value` when `ok(value)`, otherwise an OptionError. */
export const check = <T>(option: string, value: unknown, ok: (v: any) => unknown, expected: string, fallback?: T): T =>
  value === undefined ? (fallback as T) : ok(value) ? (value as T) : fail(option, expected, value)

/**
 * A number of ms, at least `min` and at most 2^31 - 1: browsers fire a longer timer at once, so
 * a lock or request timeout beyond it would expire at once (a refresh run without the lock).
 */
export const ms = (option: string, value: unknown, fallback: number, min = 0): number =>
  check(option, value, (n) => typeof n == 'number' && n >= min && n <= 2147483647, (DEV ? `a finite number of ms >= ${min} and <= 2147483647` : ''), fallback)

/** A plain object (not null, not an array); `{}` when undefined. */
export const object = (option: string, value: unknown, expected = (DEV ? 'an object' : '')): Record<string, any> => check(option, value, isObject, expected, {})

/** How each kind of a spec (see read) is checked: (option, value, default from the spec). */
const KINDS: Record<string, (option: string, value: unknown, fallback: string) => unknown> = {
  s: (option, value, fallback) => check(option, value, (v) => typeof v == 'string' && v.trim(), (DEV ? 'a non-empty string' : ''), fallback || undefined),
  f: (option, value) => check(option, value, (v) => typeof v == 'function', (DEV ? 'a function' : '')),
  b: (option, value) => check(option, value, (v) => typeof v == 'boolean', (DEV ? 'a boolean' : ''), false),
  m: (option, value, fallback) => ms(option, value, +fallback),
  M: (option, value, fallback) => ms(option, value, +fallback, 1),
  a: (option, value) => check(option, value, Array.isArray, (DEV ? 'an array' : ''), []),
  c: (option, value, fallback) => check(option, value, (n) => Number.isInteger(n) && n >= 1, (DEV ? 'a whole number >= 1' : ''), +fallback),
  e: (option, value, fallback) => {
    const allowed = fallback.split('|')
    return check(option, value, (v) => allowed.includes(v), DEV ? allowed.map((a) => `'${a}'`).join(' or ') : '', allowed[0])
  },
}

/**
 * Reads the options a spec names from `from`: `name:kind[:default]`, space-separated. Kinds:
 * s a non-empty string (no default: undefined), f a function, b a boolean (default false),
 * m / M ms >= 0 / >= 1, c a count (a whole number >= 1), a an array (default []), e one of the `|`-separated values (the first
 * is the default). With `all` (a spec naming every option), a key of `from` it does not name is an error.
 */
export function read(spec: string, from: Record<string, any>, prefix = '', all?: string): Record<string, any> {
  const out: Record<string, any> = {}
  const names = (s: string) => s.split(' ').map((entry) => entry.split(':') as [string, string, string?])
  for (const [key, kind, fallback = ''] of names(spec)) out[key] = KINDS[kind]!(prefix + key, from[key], fallback)
  // A misspelt option is a programmer's mistake: development builds catch it.
  if (DEV && all) {
    const known = names(all).map(([key]) => key)
    for (const key in from) if (!known.includes(key)) fail(prefix + key, (DEV ? `one of the known options (${known.join(', ')})` : ''), (DEV ? 'an unknown option' : ''))
  }
  return out
}
