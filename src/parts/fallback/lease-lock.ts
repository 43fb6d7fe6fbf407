// An exclusive lock for browsers without Web Locks: an expiring lease in localStorage (so a
// crashed tab never blocks the others for long), behind an in-tab queue so this tab never
// overlaps itself. Without storage, the in-tab queue is all there is.
import { LockTimeoutError } from '../../base/errors.js'
import { storageOf } from '../../base/storage.js'
import type { TabLock } from '../../base/types.js'

const LEASE_MS = 5_000

export function createLeaseLock(storage: Storage | null = storageOf('local')): TabLock {
  const queue = new Map<string, Promise<unknown>>()
  const me = Math.random().toString(36).slice(2)
  /**
   * The owner of a live lease, or null. A lease that is malformed (another version, a corrupt
   * value) or dated more than a minute ahead (the clock went back, or a forged value; a lease
   * written here is 5 s ahead at most) holds nothing: it would otherwise skip the lock, or block
   * it for as long as it claims. Storage errors throw.
   */
  const owner = (name: string): string | null => {
    const raw = storage!.getItem(name)
    let lease: any
    try {
      lease = JSON.parse(raw!)
    } catch {}
    const left = lease?.until - Date.now()
    return left >= 0 && left <= 60_000 ? lease.owner : null
  }
  const write = (name: string) => storage!.setItem(name, JSON.stringify({ owner: me, until: Date.now() + LEASE_MS }))
  /** Does `then` (default: removes the lease) if the lease is still this tab's (another tab may have taken an expired one over). */
  const ifMine = (name: string, then = () => storage!.removeItem(name)) => {
    try {
      if (owner(name) == me) then()
    } catch {}
  }
  const take = (name: string, deadline: number, timedOut: () => Error) =>
    new Promise<() => void>((resolve, reject) => {
      let written = false
      const attempt = (): unknown => {
        try {
          const current = owner(name)
          if (written && current == me) {
            // Still ours after a beat: of two tabs writing at once, the last write won. Renewed
            // while it is ours only: a lease another tab took over is never written back.
            const renew = setInterval(() => ifMine(name, () => write(name)), LEASE_MS / 2)
            return resolve(() => (clearInterval(renew), ifMine(name)))
          }
          if ((written = !current || current == me)) write(name)
        } catch {
          return resolve(() => {}) // storage unusable: the in-tab queue is all there is
        }
        if (Date.now() < deadline) setTimeout(attempt, written ? 10 + Math.random() * 20 : 50)
        else ifMine(name), reject(timedOut())
      }
      attempt()
    })
  return {
    run(name, fn, timeoutMs) {
      const deadline = Date.now() + timeoutMs
      const timedOut = () => new LockTimeoutError(name, timeoutMs)
      let timer: any
      let late: unknown
      // The wait for this tab's earlier holder counts against timeoutMs too; a request that
      // timed out there is withdrawn (it never runs, and the next one still waits its turn).
      const turn = (queue.get(name) ?? Promise.resolve()).then(async () => {
        clearTimeout(timer)
        if (late) throw late
        const release = storage ? await take(name, deadline, timedOut) : () => {}
        try {
          return await fn()
        } finally {
          release()
        }
      })
      queue.set(name, turn.catch(() => {}))
      return new Promise((resolve, reject) => {
        timer = setTimeout(() => reject((late = timedOut())), timeoutMs)
        turn.then(resolve, reject)
      })
    },
  }
}
