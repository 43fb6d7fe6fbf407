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

export const oneOf = <T extends string>(option: string, value: unknown, allowed: readonly T[]): T =>
  check(option, value, (v) => allowed.includes(v), allowed.map((a) => `'${a}'`).join(' or '), allowed[0])

export const func = <T>(option: string, value: T): T => check(option, value, (f) => typeof f == 'function', 'a function')

export const bool = (option: string, value: unknown, fallback: boolean): boolean => check(option, value, (b) => typeof b == 'boolean', 'a boolean', fallback)

/** A plain object (not null, not an array); `{}` when undefined. */
export const object = (option: string, value: unknown, expected = 'an object'): Record<string, any> => check(option, value, isObject, expected, {})
