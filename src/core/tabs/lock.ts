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
