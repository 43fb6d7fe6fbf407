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
  const lease = (name: string) => JSON.parse(storage!.getItem(name) ?? 'null')
  const write = (name: string) => storage!.setItem(name, JSON.stringify({ owner: me, until: Date.now() + LEASE_MS }))
  const take = (name: string, timeoutMs: number) =>
    new Promise<() => void>((resolve, reject) => {
      const start = Date.now()
      let written = false
      const attempt = (): unknown => {
        try {
          const current = lease(name)
          if (written && current?.owner == me) {
            // Still ours after a beat: of two tabs writing at once, the last write won.
            const renew = setInterval(() => {
              try {
                write(name)
              } catch {}
            }, LEASE_MS / 2)
            return resolve(() => {
              clearInterval(renew)
              try {
                if (lease(name)?.owner == me) storage!.removeItem(name)
              } catch {}
            })
          }
          if (!current || current.until < Date.now() || current.owner == me) {
            write(name)
            written = true
            return setTimeout(attempt, 10 + Math.random() * 20)
          }
          written = false
        } catch {
          return resolve(() => {}) // storage unusable: the in-tab queue is all there is
        }
        if (Date.now() - start >= timeoutMs) reject(new LockTimeoutError(name, timeoutMs))
        else setTimeout(attempt, 50)
      }
      attempt()
    })
  return {
    run(name, fn, timeoutMs) {
      const run = (queue.get(name) ?? Promise.resolve()).then(async () => {
        const release = storage ? await take(name, timeoutMs) : () => {}
        try {
          return await fn()
        } finally {
          release()
        }
      })
      queue.set(name, run.catch(() => {}))
      return run
    },
  }
}
