import { OptionError } from '../core/errors.js'

export const DEFAULT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll', 'focus', 'visibilitychange']
const KNOWN_EVENTS = [...DEFAULT_EVENTS, 'mousedown', 'mousemove', 'touchmove', 'click', 'keyup', 'pointerup']

export interface NormalizedIdle {
  timeout: number
  warnBefore: number
  events: string[]
  target: EventTarget | null
  dismissOnActivity: boolean
  onIdle: 'signOut' | 'none'
}

const fail = (option: string, expected: string, value: unknown): never => {
  throw new OptionError(option, expected, value)
}
const positive = (v: unknown) => typeof v === 'number' && v > 0 && v < Infinity

/** Validates the `idle` option; false or undefined turn idle tracking off (null). */
export function normalizeIdle(value: unknown): NormalizedIdle | null {
  if (value === undefined || value === false) return null
  if (typeof value !== 'object' || value === null) return fail('idle', 'false or an object { timeout, warnBefore?, ... }', value)
  const v = value as Record<string, any>
  if (!positive(v.timeout)) fail('idle.timeout', 'a positive finite number of ms', v.timeout)
  // Default warning: a minute, or a quarter of short timeouts.
  const warnBefore = v.warnBefore ?? Math.min(60_000, v.timeout / 4)
  if (!(typeof warnBefore === 'number' && warnBefore >= 0 && warnBefore < v.timeout))
    fail('idle.warnBefore', `a number of ms >= 0 and below idle.timeout (${v.timeout})`, warnBefore)
  const events = v.events ?? DEFAULT_EVENTS
  if (!Array.isArray(events) || !events.length) fail('idle.events', 'a non-empty array of event names', events)
  events.forEach((e: unknown, i: number) => KNOWN_EVENTS.includes(e as string) || fail(`idle.events[${i}]`, `one of ${KNOWN_EVENTS.join(', ')}`, e))
  if (v.target !== undefined && typeof v.target?.addEventListener !== 'function') fail('idle.target', 'an EventTarget', v.target)
  if (v.dismissOnActivity !== undefined && typeof v.dismissOnActivity !== 'boolean') fail('idle.dismissOnActivity', 'a boolean', v.dismissOnActivity)
  if (v.onIdle !== undefined && v.onIdle !== 'signOut' && v.onIdle !== 'none') fail('idle.onIdle', "'signOut' or 'none'", v.onIdle)
  return {
    timeout: v.timeout,
    warnBefore,
    events,
    target: v.target ?? null,
    dismissOnActivity: v.dismissOnActivity ?? false,
    onIdle: v.onIdle ?? 'signOut',
  }
}
