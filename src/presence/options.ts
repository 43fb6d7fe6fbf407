import { check, fail, ms, object, read } from '../core/validate.js'

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

/** Validates the `idle` option; false or undefined turn idle tracking off (null). */
export function normalizeIdle(value: unknown): NormalizedIdle | null {
  if (value === undefined || value === false) return null
  const v = object('idle', value, 'false or an object { timeout, warnBefore?, ... }')
  const timeout: number = v.timeout
  if (!(typeof timeout == 'number' && timeout > 0 && timeout < Infinity)) fail('idle.timeout', 'a positive finite number of ms', timeout)
  // Default warning: a minute, or a quarter of short timeouts.
  const warnBefore = ms('idle.warnBefore', v.warnBefore, Math.min(60_000, timeout / 4))
  if (warnBefore >= timeout) fail('idle.warnBefore', `below idle.timeout (${timeout})`, warnBefore)
  const events = check<string[]>('idle.events', v.events, (e) => Array.isArray(e) && e.length, 'a non-empty array of event names', DEFAULT_EVENTS)
  events.forEach((e, i) => check(`idle.events[${i}]`, e, (n) => KNOWN_EVENTS.includes(n), `one of ${KNOWN_EVENTS.join(', ')}`))
  return {
    ...(read('dismissOnActivity:b onIdle:e:signOut|none', v, 'idle.') as Pick<NormalizedIdle, 'dismissOnActivity' | 'onIdle'>),
    timeout,
    warnBefore,
    events,
    target: check('idle.target', v.target, (t) => typeof t?.addEventListener == 'function', 'an EventTarget', null),
  }
}
