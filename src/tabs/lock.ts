// Exclusive cross-tab locks: Web Locks where available; otherwise a lease in localStorage
// (expiring, so a crashed tab never blocks the others for long); without either, an
// in-tab queue so this tab at least never overlaps itself.
import { LockTimeoutError } from '../core/errors.js'
import { storageOf } from '../core/storage.js'
import type { TabLock } from '../core/types.js'

const LEASE_MS = 5_000
const POLL_MS = 50

export function createTabLock(
  locks: LockManager | null = typeof navigator !== 'undefined' ? ((navigator as any).locks ?? null) : null,
  storage: Storage | null = storageOf('local'),
): TabLock {
  if (locks) {
    return {
      run(name, fn, timeoutMs) {
        const controller = new AbortController()
        const timer = setTimeout(() => controller.abort(), timeoutMs)
        return locks.request(name, { signal: controller.signal }, () => (clearTimeout(timer), fn())).catch((error) => {
          clearTimeout(timer)
          // An aborted *request* never ran fn; an error from fn itself passes through.
          throw controller.signal.aborted && error?.name === 'AbortError' ? new LockTimeoutError(name, timeoutMs) : error
        }) as Promise<any>
      },
      hold: (name) =>
        new Promise((granted, refused) => {
          locks.request(name, () => new Promise<void>((release) => granted(release))).catch(refused)
        }),
      held: () => locks.query().then((s) => (s.held ?? []).map((l) => l.name!).filter(Boolean), () => null),
    }
  }
  const queue = new Map<string, Promise<unknown>>()
  const me = Math.random().toString(36).slice(2)
  const take = (name: string, timeoutMs: number) =>
    new Promise<() => void>((resolve, reject) => {
      const start = Date.now()
      let renew: ReturnType<typeof setInterval>
      const attempt = () => {
        try {
          const lease = JSON.parse(storage!.getItem(name) ?? 'null')
          if (!lease || lease.until < Date.now() || lease.owner === me) {
            storage!.setItem(name, JSON.stringify({ owner: me, until: Date.now() + LEASE_MS }))
            // Read back after a beat: of two tabs writing at once, the last write wins.
            return setTimeout(() => {
              if (JSON.parse(storage!.getItem(name) ?? 'null')?.owner !== me) return retry()
              renew = setInterval(() => storage!.setItem(name, JSON.stringify({ owner: me, until: Date.now() + LEASE_MS })), LEASE_MS / 2)
              resolve(() => {
                clearInterval(renew)
                if (JSON.parse(storage!.getItem(name) ?? 'null')?.owner === me) storage!.removeItem(name)
              })
            }, 10 + Math.random() * 20)
          }
        } catch {
          return resolve(() => {}) // storage unusable: the in-tab queue is all there is
        }
        retry()
      }
      const retry = () => (Date.now() - start >= timeoutMs ? reject(new LockTimeoutError(name, timeoutMs)) : setTimeout(attempt, POLL_MS))
      attempt()
    })
  return {
    run(name, fn, timeoutMs) {
      const previous = queue.get(name) ?? Promise.resolve()
      const run = previous.then(async () => {
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
