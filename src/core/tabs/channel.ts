// The message bus between tabs: BroadcastChannel, or null where it is missing (or refused,
// as in opaque origins). The fallback part adds a storage-event channel for old browsers.
import type { TabChannel } from '../../base/types.js'

export function createBroadcastChannel(name: string): TabChannel | null {
  let bc: BroadcastChannel
  try {
    bc = new BroadcastChannel(name)
  } catch {
    return null
  }
  const handlers = new Set<(m: unknown) => void>()
  bc.onmessage = (e) => handlers.forEach((h) => h(e.data))
  return {
    post(m) {
      // DataCloneError or a closed channel: nothing to send, nothing to break.
      try {
        bc.postMessage(m)
      } catch {}
    },
    subscribe(handler) {
      handlers.add(handler)
      return () => void handlers.delete(handler)
    },
    close() {
      handlers.clear()
      bc.close()
    },
  }
}
