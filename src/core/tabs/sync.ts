// The session's side of cross-tab sync: the channel, the lock, and the "marker" locks
// that let a tab that was just granted a lock see what the previous holder did even
// before that holder's broadcast has arrived (the two travel by different routes).
import type { TabChannel, TabLock } from '../../base/types.js'
import type { SignOutReason } from '../types.js'
import { parseMessage, type Credentials, type TabMessage } from './protocol.js'

export interface Marker {
  version: number
  /** 'r': credentials were refreshed or signed in; 'o': signed out. */
  kind: 'r' | 'o'
  expiresAt: number | null
  absoluteExpiresAt: number | null
  /** 'o' only: why the session ended. */
  reason: SignOutReason | null
}

export interface Tabs {
  readonly id: string
  readonly lock: TabLock
  post(type: string, fields?: object): void
  /** Holds a marker lock naming this change; releases this tab's previous marker. */
  mark(kind: 'r', c: Credentials): Promise<void>
  mark(kind: 'o', c: { version: number; reason: SignOutReason }): Promise<void>
  /** The newest marker any tab holds, or null (unknown or none). */
  latest(): Promise<Marker | null>
  /** Whether another live tab of this session exists (null: cannot tell). */
  othersAlive(): Promise<boolean | null>
  close(): void
}

const num = (s: string | undefined) => (s ? +s : null)
/** Without Web Locks, a lock that just runs: the tab's single flight still never overlaps itself. */
const noLock: TabLock = { run: (_name, fn) => fn() }

export function connectTabs(
  name: string,
  channel: TabChannel | null,
  lock: TabLock | null,
  shapes: Record<string, string>,
  onMessage: (message: TabMessage & Record<string, any>) => void,
  closeChannel: boolean,
): Tabs | null {
  if (!channel) return null
  const locks = lock ?? noLock
  const id = Math.random().toString(36).slice(2, 12)
  const markerPrefix = `${name}:m:`
  const tabPrefix = `${name}:tab:`
  // Everything received is validated here, against the core's and the parts' shapes.
  const unsubscribe = channel.subscribe((raw) => {
    const m = parseMessage(raw, shapes)
    if (m && m.from != id) onMessage(m)
  })
  let closed = false
  let releaseMarker: (() => void) | undefined
  let releaseTab: (() => void) | undefined
  /** Holds `lockName` (where the lock can hold); released at once if closed meanwhile. */
  const hold = async (lockName: string) => {
    const release = await locks.hold?.(lockName).catch(() => undefined)
    if (closed) release?.()
    return release
  }
  const names = async () => (await locks.held?.().catch(() => null)) ?? null
  // Each live tab holds a lock named after itself, so a new tab can see (via query) whether
  // anyone is there to answer its hello, instead of always waiting for a timeout.
  void hold(tabPrefix + id).then((release) => (releaseTab = release))

  return {
    id,
    lock: locks,
    post: (type, fields) => closed || channel.post({ ...fields, type, v: 1, from: id }),
    async mark(kind: 'r' | 'o', c: any) {
      const release = await hold(`${markerPrefix}${c.version}:${kind}:${kind == 'r' ? `${c.expiresAt}:${c.absoluteExpiresAt ?? ''}` : c.reason}`)
      releaseMarker?.()
      releaseMarker = release
    },
    async latest() {
      let best: Marker | null = null
      for (const n of (await names()) ?? []) {
        const [version, kind, a, b] = n.slice(markerPrefix.length).split(':')
        if (n.startsWith(markerPrefix) && +version! > (best?.version ?? -1) && (kind == 'r' || kind == 'o'))
          best = { version: +version!, kind, expiresAt: kind == 'r' ? num(a) : null, absoluteExpiresAt: num(b), reason: kind == 'o' ? (a as SignOutReason) : null }
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
      if (closeChannel) channel.close()
    },
  }
}
