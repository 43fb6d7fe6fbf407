import { DEV } from '../../base/dev.js'
import { check, fail, ms, object, read } from '../../base/validate.js'

/** Every option of idle() (for the unknown-option check and the documented defaults). */
export const IDLE_SPEC = 'timeout:M warnBefore:m dismissOnActivity:b onIdle:e:signOut|none absoluteWarnBefore:m:60000 events:a target:o'

export const DEFAULT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll', 'focus', 'visibilitychange']

export interface NormalizedIdle {
  timeout: number
  warnBefore: number
  events: string[]
  target: EventTarget | null
  dismissOnActivity: boolean
  onIdle: 'signOut' | 'none'
  absoluteWarnBefore: number
}

/** Validates idle()'s options, naming each as `idle.<option>`. */
export function normalizeIdle(value: unknown): NormalizedIdle {
  const v = object('idle', value, (DEV ? 'an object { timeout, warnBefore?, ... }' : ''))
  const timeout: number = v.timeout
  if (!(typeof timeout == 'number' && timeout > 0 && timeout < Infinity)) fail('idle.timeout', (DEV ? 'a positive finite number of ms' : ''), timeout)
  // Default warning: a minute, or a quarter of short timeouts.
  const warnBefore = ms('idle.warnBefore', v.warnBefore, Math.min(60_000, timeout / 4))
  if (warnBefore >= timeout) fail('idle.warnBefore', (DEV ? `below idle.timeout (${timeout})` : ''), warnBefore)
  const events = check<string[]>('idle.events', v.events, (e) => Array.isArray(e) && e.length, (DEV ? 'a non-empty array of event names' : ''), DEFAULT_EVENTS)
  // Built here, not at module level: a spread there is a statement bundlers keep even when
  // the idle part is unused (the package's single-file builds).
  const known = [...DEFAULT_EVENTS, 'mousedown', 'mousemove', 'touchmove', 'click', 'keyup', 'pointerup']
  events.forEach((e, i) => check(`idle.events[${i}]`, e, (n) => known.includes(n), (DEV ? `one of ${known.join(', ')}` : '')))
  return {
    ...(read('dismissOnActivity:b onIdle:e:signOut|none absoluteWarnBefore:m:60000', v, 'idle.', IDLE_SPEC) as Pick<NormalizedIdle, 'dismissOnActivity' | 'onIdle' | 'absoluteWarnBefore'>),
    timeout,
    warnBefore,
    events,
    target: check('idle.target', v.target, (t) => typeof t?.addEventListener == 'function', (DEV ? 'an EventTarget' : ''), null),
  }
}
