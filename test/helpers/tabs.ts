// In-process stand-ins for BroadcastChannel and Web Locks, so several sessions in one
// test process behave like tabs of one origin. Test-only: never part of the bundle.
import { LockTimeoutError } from '../../src/base/errors.js'
import type { TabChannel, TabLock } from '../../src/base/types.js'

/** A hub whose channels deliver to every other channel (JSON round trip, async). */
export function createLocalHub({ delay = 0 }: { delay?: number } = {}) {
  const members = new Set<(m: unknown) => void>()
  return {
    channel(): TabChannel {
      const handlers = new Set<(m: unknown) => void>()
      // Delivered as sent (after a JSON round trip): the session validates what it receives.
      const receive = (m: unknown) => handlers.forEach((h) => h(m))
      members.add(receive)
      return {
        post(message) {
          let copy: unknown
          try {
            copy = JSON.parse(JSON.stringify(message))
          } catch {
            return
          }
          for (const other of members) if (other !== receive) setTimeout(() => other(copy), delay)
        },
        subscribe(h) {
          handlers.add(h)
          return () => void handlers.delete(h)
        },
        close() {
          members.delete(receive)
          handlers.clear()
        },
      }
    },
  }
}

/** A FIFO exclusive lock shared by sessions in one process, with Web Locks' hold/held. */
export function createLocalLock() {
  const tails = new Map<string, Promise<void>>()
  const held = new Set<string>()
  const acquire = (name: string) => {
    const previous = tails.get(name) ?? Promise.resolve()
    let release!: () => void
    const done = new Promise<void>((r) => (release = r))
    tails.set(name, previous.then(() => done))
    return { granted: previous, release }
  }
  const lock: TabLock & { hang(name: string): void; isHeld(name: string): boolean } = {
    async run(name, fn, timeoutMs) {
      const { granted, release } = acquire(name)
      let timer: ReturnType<typeof setTimeout> | undefined
      let timedOut = false
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true
          reject(new LockTimeoutError(name, timeoutMs))
        }, timeoutMs)
      })
      try {
        await Promise.race([granted, timeout])
      } catch (error) {
        granted.then(release) // withdraw: pass the lock on when it comes
        throw error
      } finally {
        clearTimeout(timer)
      }
      if (timedOut) return release() as never
      held.add(name)
      try {
        return await fn()
      } finally {
        held.delete(name)
        release()
      }
    },
    async hold(name) {
      const { granted, release } = acquire(name)
      await granted
      held.add(name)
      return () => {
        held.delete(name)
        release()
      }
    },
    held: async () => [...held],
    /** Takes `name` forever (a frozen tab). */
    hang(name) {
      const { granted } = acquire(name)
      void granted.then(() => held.add(name))
    },
    isHeld: (name) => held.has(name),
  }
  return lock
}
