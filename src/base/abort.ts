import type { Timers } from './types.js'

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  return !signal
    ? promise
    : new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(signal.reason)
        if (signal.aborted) onAbort()
        signal.addEventListener('abort', onAbort, { once: true })
        promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
      })
}

/** Resolves with `promise`'s value, or with `fallback` after `ms` (never rejects). */
export function within<T>(promise: Promise<T>, ms: number, fallback: T, timers: Timers): Promise<T> {
  return new Promise<T>((resolve) => {
    const id = timers.setTimeout(() => resolve(fallback), ms)
    promise.then(resolve, () => resolve(fallback)).finally(() => timers.clearTimeout(id))
  })
}
