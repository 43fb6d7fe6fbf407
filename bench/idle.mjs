// The activity handler under a synthetic storm: pointermove events dispatched on a happy-dom
// element with an idle-tracking session listening, beside the same dispatch on an element with
// a no-op listener. The difference is what the SDK adds per event; timers armed are counted too.
import { Window } from 'happy-dom'

export async function measureIdle(events = 100_000) {
  const window = new Window({ url: 'http://app.test/' })
  Object.assign(globalThis, { window, document: window.document, location: window.location })
  const { createSession, idle } = await import('../dist/production/index.mjs')
  let armed = 0
  const timers = { setTimeout: (fn, ms) => (armed++, setTimeout(fn, ms)), clearTimeout: (id) => clearTimeout(id) }
  const plain = window.document.createElement('div')
  plain.addEventListener('pointermove', () => {}, { passive: true, capture: true }) // the baseline
  const tracked = window.document.createElement('div')
  const session = createSession({ crossTab: false, fetch: async () => Response.json({ expiresIn: 3600 }), use: [idle({ timeout: 3_600_000, target: tracked })], timers })
  session.signIn({ expiresIn: 3600 })
  const storm = (target, n) => {
    const event = new window.Event('pointermove')
    const start = process.hrtime.bigint()
    for (let i = 0; i < n; i++) target.dispatchEvent(event)
    return Number(process.hrtime.bigint() - start) / n
  }
  // An hour's timeout: no deadline passes during the storm, so any timer armed is one per event.
  storm(plain, 20_000)
  storm(tracked, 20_000)
  armed = 0
  // Rounds alternate the two (the order flips every round), each after a full GC; the median
  // round is reported, so neither a GC pause nor the machine's drift lands on one side only.
  const rounds = [[], []]
  for (let round = 0; round < 9; round++)
    for (const k of round % 2 ? [1, 0] : [0, 1]) {
      globalThis.gc?.()
      rounds[k].push(storm(k ? tracked : plain, events))
    }
  const [baseline, withSession] = rounds.map((r) => r.sort((a, b) => a - b)[4])
  session.destroy()
  return { events, baselineNs: baseline, withSessionNs: withSession, addedNs: withSession - baseline, eventsPerSecond: 1e9 / withSession, timersArmedDuringStorm: armed }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureIdle()
  console.log(process.argv.includes('--json') ? JSON.stringify(result) : result)
}
