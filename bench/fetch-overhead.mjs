// Per-call overhead of session.fetch when no refresh is needed, beside raw fetch and ky,
// all against the same stub fetch in the same process and run (ratios, not absolutes).
import ky from 'ky'
import { createSession } from '../dist/production/index.mjs'

// A fresh Response per call, as a real fetch gives (ky clones and reads responses).
const stub = async () => new Response('ok')
const N = Number(process.env.BENCH_CALLS ?? 50_000)

/**
 * ns per call of each subject. Rounds interleave the subjects, so a machine that speeds up or
 * slows down during the run shifts them all alike, and the order rotates every round (which
 * position a subject runs in moved results by up to ~1 µs here). The fastest round is reported:
 * interference only ever adds time, and medians still swung by ±1 µs on this 2-core VM.
 */
async function time(subjects) {
  for (const [, call] of subjects) for (let i = 0; i < 20_000; i++) await call(i) // warm-up: let the JIT settle
  const rounds = subjects.map(() => [])
  const n = subjects.length
  for (let round = 0; round < 5 * n; round++)
    for (let p = 0; p < n; p++) {
      const k = (round + p) % n
      globalThis.gc?.() // start each round without the previous one's garbage
      const start = process.hrtime.bigint()
      for (let i = 0; i < N; i++) await subjects[k][1](i)
      rounds[k].push(Number(process.hrtime.bigint() - start) / N)
    }
  return subjects.map(([label], k) => ({ label, nsPerCall: Math.min(...rounds[k]) }))
}

export async function measureFetchOverhead() {
  const cookie = createSession({ crossTab: false, fetch: stub })
  cookie.signIn({ expiresIn: 3600 })
  const bearer = createSession({ crossTab: false, credentials: 'bearer', fetch: stub })
  bearer.signIn({ expiresIn: 3600, accessToken: 'a'.repeat(40) })
  const client = ky.create({ fetch: stub, retry: 0, throwHttpErrors: false })
  // Two phases, each beside raw fetch: ky allocates far more per call, and its garbage
  // would otherwise land in the rounds of whatever runs after it.
  const rows = await time([
    ['raw fetch (stub)', () => stub('/api/x')],
    ['session.fetch, cookie mode', () => cookie.fetch('/api/x')],
    ['session.fetch, bearer mode', () => bearer.fetch('/api/x')],
  ])
  const [rawAgain, kyRow] = await time([
    ['raw fetch (stub)', () => stub('/api/x')],
    ['ky (same stub)', () => client.get('http://app.test/api/x')],
  ])
  cookie.destroy()
  bearer.destroy()
  const raw = rows[0].nsPerCall
  const ours = rows.map((r) => ({ ...r, addedNs: r.nsPerCall - raw, ratio: r.nsPerCall / raw }))
  return [...ours, { ...kyRow, addedNs: kyRow.nsPerCall - rawAgain.nsPerCall, ratio: kyRow.nsPerCall / rawAgain.nsPerCall }]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureFetchOverhead()
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows))
  else for (const r of rows) console.log(`${r.label.padEnd(30)} ${r.nsPerCall.toFixed(0).padStart(7)} ns/call  +${r.addedNs.toFixed(0).padStart(6)} ns  ×${r.ratio.toFixed(2)}`)
}
