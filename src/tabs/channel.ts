// The message bus between tabs: BroadcastChannel, or a localStorage `storage`-event
// fallback where it is missing. Everything received is validated before handlers see it.
import type { TabChannel } from '../core/types.js'
import { parseMessage } from './protocol.js'

export function createTabChannel(name: string, storage: Storage | null = typeof localStorage === 'undefined' ? null : localStorage): TabChannel | null {
  const handlers = new Set<(message: unknown) => void>()
  const deliver = (data: unknown) => {
    const message = parseMessage(data)
    if (message) handlers.forEach((h) => {
      try {
        h(message)
      } catch (error) {
        queueMicrotask(() => {
          throw error
        })
      }
    })
  }
  const subscribe = (h: (message: unknown) => void) => {
    handlers.add(h)
    return () => void handlers.delete(h)
  }

  if (typeof BroadcastChannel !== 'undefined') {
    const bc = new BroadcastChannel(name)
    let open = true
    bc.onmessage = (e) => deliver(e.data)
    return {
      post: (m) => open && bc.postMessage(m),
      subscribe,
      close() {
        open = false
        handlers.clear()
        bc.close()
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
      handlers.clear()
      window.removeEventListener('storage', onStorage)
    },
  }
}
