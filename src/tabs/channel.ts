// The message bus between tabs: BroadcastChannel, or a localStorage `storage`-event
// fallback where it is missing. Everything received is validated before handlers see it.
import type { TabChannel } from '../core/types.js'
import { createEmitter } from '../core/emitter.js'
import { listen } from '../core/listen.js'
import { storageOf } from '../core/storage.js'
import { parseMessage } from './protocol.js'

export function createTabChannel(name: string, storage: Storage | null = storageOf('local')): TabChannel | null {
  // The emitter isolates handlers: one that throws is reported and the others still run.
  const bus = createEmitter<{ m: unknown }>()
  const deliver = (data: unknown) => {
    const message = parseMessage(data)
    if (message) bus.emit('m', message)
  }
  let bc: BroadcastChannel | undefined
  try {
    bc = new BroadcastChannel(name)
  } catch {
    // Missing, or refused in opaque origins (sandboxed frames): the fallback below.
  }
  const key = `${name}:msg`
  let stop: () => void
  let send: (m: any) => void
  if (bc) {
    bc.onmessage = (e) => deliver(e.data)
    send = (m) => bc.postMessage(m)
    stop = () => bc.close()
  } else {
    if (!storage || typeof window == 'undefined') return null
    // Write then remove a key; other tabs get a `storage` event with the value. Storage is
    // readable by any script of the origin and may persist: nothing secret goes there.
    stop = listen(window, 'storage', ((e: StorageEvent) => {
      try {
        if (e.key == key && e.newValue) deliver(JSON.parse(e.newValue).m)
      } catch {}
    }) as () => void)
    send = (m) => {
      if (m.credentials) {
        const { accessToken, user, ...safe } = m.credentials
        m = { ...m, credentials: safe }
      }
      storage.setItem(key, JSON.stringify({ m, n: Math.random() }))
      storage.removeItem(key)
    }
  }
  let open = true
  return {
    post(m) {
      // DataCloneError, quota, disabled storage: nothing to send, nothing to break.
      try {
        if (open) send(m)
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
