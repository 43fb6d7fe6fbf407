// The fallback part, for browsers without BroadcastChannel or Web Locks (Safari before 15.4,
// some embedded web views): a localStorage `storage`-event channel that never carries
// tokens, the refresh secret or the user, and an expiring localStorage lease as the lock.
// Where the native APIs exist it changes nothing. Put it first in `use`.
//   createSession({ use: [storageFallback(), idle({ timeout })] })
import type { Part } from '../../core/types.js'
import { createLeaseLock } from './lease-lock.js'
import { createStorageChannel } from './storage-channel.js'

export function storageFallback(): Part {
  return {
    channel: (inner, name) => inner ?? createStorageChannel(name),
    lock: (inner) => inner ?? createLeaseLock(),
  }
}
