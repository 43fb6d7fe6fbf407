// The message bus between tabs: BroadcastChannel, or a localStorage `storage`-event
// fallback where it is missing. Everything received is validated before handlers see it.
import type { TabChannel } from '../core/types.js'
import { createEmitter } from '../core/emitter.js'
import { storageOf } from '../core/storage.js'
import { parseMessage } from './protocol.js'

export function createTabChannel(name: string, storage: Storage | null = storageOf('local')): TabChannel | null {
  // The emitter isolates handlers: one that throws is reported and the others still run.
  const bus = createEmitter<{ message: unknown }>()
  const deliver = (data: unknown) => {
    const message = parseMessage(data)
    if (message) bus.emit('message', message)
  }
  const subscribe = (h: (message: unknown) => void) => bus.on('message', h)

  let bc: BroadcastChannel | null = null
  try {
    bc = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name)
  } catch {
    // Opaque origins (sandboxed frames) may refuse a channel: use the fallback below.
  }
  if (bc) {
    const channel = bc
    let open = true
    channel.onmessage = (e) => deliver(e.data)
    return {
      // postMessage throws DataCloneError on uncloneable data: nothing to send, nothing to break.
      post(m) {
        try {
          if (open) channel.postMessage(m)
        } catch {}
      },
      subscribe,
      close() {
        open = false
        bus.clear()
        channel.close()
      },
    }
  }

  if (!storage || typeof window === 'undefined') return null
  // Fallback: write then remove a key; other tabs get a `storage` event with the value.
  // Storage is readable by any script of the origin and may persist: nothing secret goes there.
  const key = `${name}:msg`
  const onStorage = (e: StorageEvent) => {
    if (e.key !== key || !e.newValue) return
    try {
      deliver(JSON.parse(e.newValue).m)
    } catch {}
  }
  window.addEventListener('storage', onStorage)
  return {
    post(m: any) {
      if (m?.credentials) {
        const { accessToken, user, ...safe } = m.credentials
        m = { ...m, credentials: safe }
      }
      try {
        storage.setItem(key, JSON.stringify({ m, n: Math.random() }))
        storage.removeItem(key)
      } catch {}
    },
    subscribe,
    close() {
      bus.clear()
      window.removeEventListener('storage', onStorage)
    },
  }
}
