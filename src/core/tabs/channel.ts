// The message bus between tabs: BroadcastChannel, or null where it is missing (or refused,
// as in opaque origins). The fallback part adds a storage-event channel for old browsers.
import { createEmitter } from '../../base/emitter.js'
import type { TabChannel } from '../../base/types.js'

export function createBroadcastChannel(name: string): TabChannel | null {
  let bc: BroadcastChannel
  try {
    bc = new BroadcastChannel(name)
  } catch {
    return null
  }
  // The emitter isolates handlers: one that throws is reported and the others still run.
  const bus = createEmitter<{ m: unknown }>()
  bc.onmessage = (e) => bus.emit('m', e.data)
  return {
    post(m) {
      // DataCloneError or a closed channel: nothing to send, nothing to break.
      try {
        bc.postMessage(m)
      } catch {}
    },
    subscribe: (handler) => bus.on('m', handler),
    close() {
      bus.clear()
      bc.close()
    },
  }
}
