// Soak: 10,000 session.fetch calls in batches of 100, the access token expiring every
// 1,000 requests. Counts lost requests and refreshes, and the heap after a full GC
// before and after (run with --expose-gc, as `npm run bench` does).
import { createSession } from '../dist/production/index.mjs'

export async function measureSoak(total = 10_000, expireEvery = 1_000) {
  let token = 'tok-0'
  let generation = 0
  let refreshes = 0
  const stub = async (input, init) => {
    const url = String(input)
    if (url === '/auth/refresh') {
      refreshes++
      token = `tok-${++generation}`
      return Response.json({ expiresIn: 3600, accessToken: token })
    }
    return new Headers(init?.headers).get('Authorization') === `Bearer ${token}` ? new Response('ok') : new Response(null, { status: 401 })
  }
  const session = createSession({ credentials: 'bearer', crossTab: false, fetch: stub })
  await session.start()
  const gc = globalThis.gc ?? (() => {})
  const run = async () => {
    let ok = 0
    for (let sent = 0; sent < total; sent += 100) {
      if (sent % expireEvery === 0) token = `expired-${sent}`
      const results = await Promise.all(Array.from({ length: 100 }, () => session.fetch('/api/x')))
      ok += results.filter((r) => r.status === 200).length
    }
    return ok
  }
  await run() // warm-up round: JIT and lazily created objects
  gc()
  const heapBefore = process.memoryUsage().heapUsed
  refreshes = 0
  const ok = await run()
  gc()
  const heapAfter = process.memoryUsage().heapUsed
  session.destroy()
  return { total, ok, lost: total - ok, refreshes, expiries: total / expireEvery, heapBeforeKiB: heapBefore / 1024, heapAfterKiB: heapAfter / 1024, gcExposed: Boolean(globalThis.gc) }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureSoak()
  console.log(process.argv.includes('--json') ? JSON.stringify(result) : result)
}
