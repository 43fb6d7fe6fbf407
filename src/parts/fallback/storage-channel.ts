// A channel over localStorage `storage` events, for browsers without BroadcastChannel.
// Write then remove a key; other tabs get a `storage` event with the value. Storage is
// readable by any script of the origin and may persist: nothing secret goes there.
import { createEmitter } from '../../base/emitter.js'
import { listen } from '../../base/listen.js'
import { storageOf } from '../../base/storage.js'
import type { TabChannel } from '../../base/types.js'

/**
 * A message as it may go through storage: tokens, the refresh secret and the user never touch
 * it. A refresh secret the sender had is replaced by '' (withheld), so the receiving tab knows
 * not to refresh with a token it does not have (the core reports that as transient).
 */
export function withoutSecrets(m: any): any {
  if (!m.credentials) return m
  const { accessToken, refreshToken, user, ...safe } = m.credentials
  return { ...m, credentials: refreshToken === undefined ? safe : { ...safe, refreshToken: '' } }
}

export function createStorageChannel(name: string, storage: Storage | null = storageOf('local')): TabChannel | null {
  if (!storage || typeof window == 'undefined') return null
  // The emitter isolates handlers: one that throws is reported and the others still run.
  const bus = createEmitter<{ m: unknown }>()
  const key = `${name}:msg`
  const stop = listen(window, 'storage', ((e: StorageEvent) => {
    try {
      if (e.key == key && e.newValue) bus.emit('m', JSON.parse(e.newValue).m)
    } catch {}
  }) as () => void)
  let open = true
  return {
    post(m: any) {
      m = withoutSecrets(m)
      // Quota, disabled storage: nothing to send, nothing to break.
      try {
        if (open) storage.setItem(key, JSON.stringify({ m, n: Math.random() })), storage.removeItem(key)
      } catch {}
    },
    subscribe: (handler) => bus.on('m', handler),
    close() {
      open = false
      bus.clear()
      stop()
    },
  }
}
