// The few checks every option goes through. Each failure is an OptionError that names
// the option, says what was expected, and shows (a safe summary of) what was received.
import { OptionError } from './errors.js'

export const fail = (option: string, expected: string, value: unknown): never => {
  throw new OptionError(option, expected, value)
}

export const isObject = (v: unknown): v is Record<string, any> => typeof v == 'object' && v !== null && !Array.isArray(v)

/** `fallback` when `value` is undefined, `value` when `ok(value)`, otherwise an OptionError. */
export const check = <T>(option: string, value: unknown, ok: (v: any) => unknown, expected: string, fallback?: T): T =>
  value === undefined ? (fallback as T) : ok(value) ? (value as T) : fail(option, expected, value)

/** A finite number of ms, at least `min`. */
export const ms = (option: string, value: unknown, fallback: number, min = 0): number =>
  check(option, value, (n) => typeof n == 'number' && n >= min && n < Infinity, `a finite number of ms >= ${min}`, fallback)

/** A plain object (not null, not an array); `{}` when undefined. */
export const object = (option: string, value: unknown, expected = 'an object'): Record<string, any> => check(option, value, isObject, expected, {})

/** How each kind of a spec (see read) is checked: (option, value, default from the spec). */
const KINDS: Record<string, (option: string, value: unknown, fallback: string) => unknown> = {
  s: (option, value, fallback) => check(option, value, (v) => typeof v == 'string' && v.trim(), 'a non-empty string', fallback),
  f: (option, value) => check(option, value, (v) => typeof v == 'function', 'a function'),
  b: (option, value) => check(option, value, (v) => typeof v == 'boolean', 'a boolean', false),
  m: (option, value, fallback) => ms(option, value, +fallback),
  M: (option, value, fallback) => ms(option, value, +fallback, 1),
  e: (option, value, fallback) => {
    const allowed = fallback.split('|')
    return check(option, value, (v) => allowed.includes(v), allowed.map((a) => `'${a}'`).join(' or '), allowed[0])
  },
}

/**
 * Reads the options a spec names from `from`: `name:kind[:default]`, space-separated. Kinds:
 * s a non-empty string, f a function, b a boolean (default false), m / M ms >= 0 / >= 1,
 * e one of the `|`-separated values (the first is the default).
 */
export function read(spec: string, from: Record<string, any>, prefix = ''): Record<string, any> {
  const out: Record<string, any> = {}
  for (const entry of spec.split(' ')) {
    const [key, kind, fallback = ''] = entry.split(':') as [string, string, string?]
    out[key] = KINDS[kind]!(prefix + key, from[key], fallback)
  }
  return out
}
