// The diagnostics part: a timeline of the session's decisions in this tab, with a short tab
// id, for debugging cross-tab behaviour. It records what happened and when (refresh started
// and why, lock waits, another tab's result used, messages sent and received by type,
// backoff, sign-out and its reason), never a token, a refresh secret or user data.
//   const session = createSession({ use: [diagnostics()] })
//   session.onTimeline((entry) => console.debug(entry)); session.timeline()
import { object, read } from '../../base/validate.js'
import type { Part, TraceEntry } from '../../core/types.js'

export interface TimelineEntry extends TraceEntry {
  /** When (the session's clock, ms). */
  at: number
  /**
   * This tab's id: the `from` other tabs record for its messages, so the timelines of several
   * tabs can be merged and matched (a random id of its own without cross-tab).
   */
  tab: string
}

export interface DiagnosticsMethods {
  /** The recorded entries, oldest first (at most `size`). */
  timeline(): TimelineEntry[]
  /** Calls `listener` with every new entry; returns the unsubscribe function. */
  onTimeline(listener: (entry: TimelineEntry) => void): () => void
}

export function diagnostics(options: { size?: number } = {}): Part<DiagnosticsMethods> {
  const { size } = read('size:c:200', object('diagnostics', options), 'diagnostics.', 'size:c') as { size: number }
  let tab = Math.random().toString(36).slice(2, 12)
  const entries: TimelineEntry[] = []
  const listeners = new Set<(entry: TimelineEntry) => void>()
  let now = () => Date.now()
  const record = (entry: TraceEntry) => {
    const full = { ...entry, at: now(), tab }
    entries.push(full)
    if (entries.length > size) entries.shift()
    // A listener that throws is reported like a throwing event handler; it never stops the
    // message, lock or decision being recorded (the wrappers below record before they act).
    listeners.forEach((listener) => {
      try {
        listener(full)
      } catch (error) {
        queueMicrotask(() => {
          throw error
        })
      }
    })
  }
  // Only the message's type and sender leave the message: never its credentials or user. A
  // received message is not validated yet (the session does that next), so both are cut short.
  // A hostile one may hold what String() throws on (an object whose toString is no function).
  const cut = (value: unknown, length: number) => {
    try {
      return String(value).slice(0, length)
    } catch {
      return '?'
    }
  }
  const kind = (m: any) => ({ type: cut(m?.type, 40), from: cut(m?.from ?? '', 64) })
  return {
    channel: (inner) =>
      inner && {
        post(m) {
          record({ what: 'sent', ...kind(m) })
          inner.post(m)
        },
        subscribe: (handler) =>
          inner.subscribe((m) => {
            record({ what: 'received', ...kind(m) })
            handler(m)
          }),
        close: () => inner.close(),
      },
    lock: (inner) =>
      inner && {
        ...inner,
        run(name, fn, timeoutMs) {
          const asked = now()
          return inner.run(
            name,
            () => {
              record({ what: 'lockGranted', lock: name, waitedMs: now() - asked })
              return fn()
            },
            timeoutMs,
          )
        },
      },
    setup(ctx) {
      now = ctx.now
      tab = ctx.tab ?? tab
      ctx.on('trace', record)
      // destroy() removes every listener, the timeline's too (a lock granted later records nothing for anyone).
      ctx.on('destroy', () => listeners.clear())
      ctx.on('refreshed', ({ source, version }) => record({ what: 'refreshed', source, version }))
      ctx.on('refreshFailed', ({ transient, retryAt }) => record({ what: transient ? 'backoff' : 'refreshRejected', retryAt }))
      ctx.on('lockTimeout', ({ lock, waitedMs }) => record({ what: 'lockTimeout', lock, waitedMs }))
      ctx.on('resumed', ({ status }) => record({ what: 'resumed', status }))
      ctx.on('signedOut', ({ reason, fromOtherTab }) => record({ what: 'signedOut', reason, fromOtherTab }))
      return {
        timeline: () => entries.slice(),
        onTimeline(listener) {
          listeners.add(listener)
          return () => void listeners.delete(listener)
        },
      }
    },
  }
}
