// Exclusive cross-tab locks over Web Locks; null where the browser has none (the fallback
// part adds an expiring localStorage lease for those).
import { LockTimeoutError } from '../../base/errors.js'
import type { TabLock } from '../../base/types.js'


export function createWebLock(locks: LockManager | null = typeof navigator != 'undefined' ? ((navigator as any).locks ?? null) : null): TabLock | null {
  return (
    locks && {
      run(name, fn, timeoutMs) {
        const controller = new AbortController()
        const timer = setTimeout(() => controller.abort(), timeoutMs)
        return locks.request(name, { signal: controller.signal }, () => (clearTimeout(timer), fn())).catch((error) => {
          clearTimeout(timer)
          // An aborted *request* never ran fn; an error from fn itself passes through.
          throw controller.signal.aborted && error?.name == 'AbortError' ? new LockTimeoutError(name, timeoutMs) : error
        })
      },
      hold: (name) => new Promise((granted, refused) => void locks.request(name, () => new Promise<void>((release) => granted(release))).catch(refused)),
      held: () => locks.query().then((s) => s.held!.map((l) => l.name!), () => null),
    }
  )
}

/**
 * Runs `fn` holding the lock `name`. A lock not granted (after `timeoutMs`: its holder is frozen
 * or gone, or the lock itself failed) is reported to `refused` and `fn` runs without it: going on
 * is the safe choice. What `fn` itself throws passes through, and `fn` never runs twice.
 */
export function holdOrGoOn<T>(lock: TabLock, name: string, fn: () => Promise<T>, timeoutMs: number, refused: (error: unknown) => void): Promise<T> {
  let ran = false
  return lock.run(name, () => ((ran = true), fn()), timeoutMs).catch((error) => {
    if (ran) throw error
    refused(error)
    return fn()
  })
}
