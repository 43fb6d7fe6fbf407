// The activity handler under a synthetic storm: pointermove events dispatched on a happy-dom
// document with an idle-tracking session attached, beside the same dispatch with a no-op
// listener. The difference is what the SDK adds per event; timers armed are counted too.
import { Window } from 'happy-dom'

export async function measureIdle(events = 200_000) {
  const window = new Window({ url: 'http://app.test/' })
  Object.assign(globalThis, { window, document: window.document, location: window.location })
  const { createSession } = await import('../dist/index.mjs')
  let armed = 0
  const timers = { setTimeout: (fn, ms) => (armed++, setTimeout(fn, ms)), clearTimeout: (id) => clearTimeout(id) }
  const target = window.document.createElement('div')
  // Best of five rounds, each after a full GC: the minimum is the handler's cost, not a pause's.
  const best = (n) => Math.min(...Array.from({ length: 5 }, () => (globalThis.gc?.(), storm(n))))
  const storm = (n) => {
    const event = new window.Event('pointermove')
    const start = process.hrtime.bigint()
    for (let i = 0; i < n; i++) target.dispatchEvent(event)
    return Number(process.hrtime.bigint() - start) / n
  }
  target.addEventListener('pointermove', () => {}, { passive: true }) // baseline listener
  storm(20_000)
  const baseline = best(events)
  const session = createSession({ crossTab: false, fetch: async () => Response.json({ expiresIn: 3600 }), idle: { timeout: 60_000, target }, timers })
  session.signIn({ expiresIn: 3600 })
  armed = 0
  storm(20_000)
  const withSession = best(events)
  session.destroy()
  return { events, baselineNs: baseline, withSessionNs: withSession, addedNs: withSession - baseline, eventsPerSecond: 1e9 / withSession, timersArmedDuringStorm: armed }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await measureIdle())
