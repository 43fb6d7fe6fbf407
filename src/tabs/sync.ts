// The session's side of cross-tab sync: the channel, the lock, and the "marker" locks
// that let a tab that was just granted the refresh lock see what the previous holder did
// even before that holder's broadcast has arrived (the two travel by different routes).
import type { TabChannel, TabLock } from '../core/types.js'
import { createTabChannel } from './channel.js'
import { createTabLock } from './lock.js'
import type { Credentials, TabMessage } from './protocol.js'

type Outgoing = TabMessage extends infer M ? (M extends TabMessage ? Omit<M, 'v' | 'from'> : never) : never

export interface Marker {
  version: number
  /** 'r': credentials were refreshed or signed in; 'o': signed out. */
  kind: 'r' | 'o'
  expiresAt: number | null
  absoluteExpiresAt: number | null
}

export interface Tabs {
  readonly id: string
  readonly lock: TabLock
  post(message: Outgoing): void
  /** Holds a marker lock naming this change; releases this tab's previous marker. */
  mark(kind: Marker['kind'], c: Partial<Credentials> & { version: number }): Promise<void>
  /** The newest marker any tab holds, or null (unknown or none). */
  latest(): Promise<Marker | null>
  /** Whether another live tab of this session exists (null: cannot tell). */
  othersAlive(): Promise<boolean | null>
  close(): void
}

const num = (s: string | undefined) => (s ? +s : null)

export function connectTabs(
  name: string,
  injected: { channel?: TabChannel | null; lock?: TabLock | null },
  onMessage: (message: TabMessage) => void,
): Tabs | null {
  const channel = injected.channel !== undefined ? injected.channel : createTabChannel(name)
  if (!channel) return null
  const lock = injected.lock ?? createTabLock()
  const id = Math.random().toString(36).slice(2, 12)
  const markerPrefix = `${name}:m:`
  const tabPrefix = `${name}:tab:`
  const unsubscribe = channel.subscribe((m) => (m as TabMessage).from != id && onMessage(m as TabMessage))
  let closed = false
  let releaseMarker: (() => void) | undefined
  let releaseTab: (() => void) | undefined
  /** Holds `lockName` (where the lock can hold); released at once if closed meanwhile. */
  const hold = async (lockName: string) => {
    const release = await lock.hold?.(lockName).catch(() => undefined)
    if (closed) release?.()
    return release
  }
  const names = async () => (await lock.held?.().catch(() => null)) ?? null
  // Each live tab holds a lock named after itself, so a new tab can see (via query) whether
  // anyone is there to answer its hello, instead of always waiting for a timeout.
  void hold(tabPrefix + id).then((release) => (releaseTab = release))

  return {
    id,
    lock,
    post: (message) => closed || channel.post({ ...message, v: 1, from: id }),
    async mark(kind, c) {
      const release = await hold(`${markerPrefix}${c.version}:${kind}:${c.expiresAt ?? ''}:${c.absoluteExpiresAt ?? ''}`)
      releaseMarker?.()
      releaseMarker = release
    },
    async latest() {
      let best: Marker | null = null
      for (const n of (await names()) ?? []) {
        const [version, kind, expiresAt, absoluteExpiresAt] = n.slice(markerPrefix.length).split(':')
        if (n.startsWith(markerPrefix) && +version! > (best?.version ?? -1) && (kind == 'r' || kind == 'o'))
          best = { version: +version!, kind, expiresAt: num(expiresAt), absoluteExpiresAt: num(absoluteExpiresAt) }
      }
      return best
    },
    async othersAlive() {
      const held = await names()
      return held && held.some((n) => n.startsWith(tabPrefix) && n != tabPrefix + id)
    },
    close() {
      closed = true
      unsubscribe()
      releaseMarker?.()
      releaseTab?.()
      if (injected.channel === undefined) channel.close()
    },
  }
}
