// Per-call overhead of session.fetch when no refresh is needed, beside raw fetch and ky,
// all against the same stub fetch in the same process and run (ratios, not absolutes).
import ky from 'ky'
import { createSession } from '../dist/index.mjs'

// A fresh Response per call, as a real fetch gives (ky clones and reads responses).
const stub = async () => new Response('ok')
const N = Number(process.env.BENCH_CALLS ?? 200_000)

async function time(label, call) {
  for (let i = 0; i < 20_000; i++) await call(i) // warm-up: let the JIT settle
  const best = []
  for (let round = 0; round < 5; round++) {
    globalThis.gc?.() // start each round without the previous one's garbage
    const start = process.hrtime.bigint()
    for (let i = 0; i < N; i++) await call(i)
    best.push(Number(process.hrtime.bigint() - start) / N)
  }
  best.sort((a, b) => a - b)
  return { label, nsPerCall: best[Math.floor(best.length / 2)] }
}

export async function measureFetchOverhead() {
  const cookie = createSession({ crossTab: false, fetch: stub })
  cookie.signIn({ expiresIn: 3600 })
  const bearer = createSession({ crossTab: false, credentials: 'bearer', fetch: stub })
  bearer.signIn({ expiresIn: 3600, accessToken: 'a'.repeat(40) })
  const client = ky.create({ fetch: stub, retry: 0, throwHttpErrors: false })
  const rows = [
    await time('raw fetch (stub)', () => stub('/api/x')),
    await time('session.fetch, cookie mode', () => cookie.fetch('/api/x')),
    await time('session.fetch, bearer mode', () => bearer.fetch('/api/x')),
    await time('ky (same stub)', () => client.get('http://app.test/api/x')),
  ]
  cookie.destroy()
  bearer.destroy()
  const raw = rows[0].nsPerCall
  return rows.map((r) => ({ ...r, addedNs: r.nsPerCall - raw, ratio: r.nsPerCall / raw }))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await measureFetchOverhead())
    console.log(`${r.label.padEnd(30)} ${r.nsPerCall.toFixed(0).padStart(7)} ns/call  +${r.addedNs.toFixed(0).padStart(6)} ns  ×${r.ratio.toFixed(2)}`)
}
