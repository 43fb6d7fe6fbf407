// session-continuity/react: thin bindings over getState/subscribe (useSyncExternalStore).
import { createContext, createElement, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react'
import type { Session, SessionState, WarningReason } from '../core/types.js'

const SessionContext = createContext<Session | null>(null)

export function SessionProvider({ session, children }: { session: Session; children?: ReactNode }) {
  return createElement(SessionContext.Provider, { value: session }, children)
}

function useSessionObject(session?: Session): Session {
  const fromContext = useContext(SessionContext)
  const s = session ?? fromContext
  if (!s) throw new Error('session-continuity/react: render inside <SessionProvider session={…}> or pass a session')
  return s
}

const identity = <T,>(state: SessionState) => state as unknown as T

/**
 * The session state, or a slice of it. The selector should return state fields or primitives
 * (a new object each call would re-render forever, as with any useSyncExternalStore store).
 */
export function useSession<T = SessionState>(selector: (state: SessionState) => T = identity, session?: Session): T {
  const s = useSessionObject(session)
  const read = () => selector(s.getState())
  return useSyncExternalStore(s.subscribe, read, read)
}

export interface IdleWarning {
  showing: boolean
  remainingMs: number
  reason: WarningReason | null
  stayActive: () => void
}

/** The warning, with a countdown that re-renders about once a second only while it shows. */
export function useIdleWarning(session?: Session): IdleWarning {
  const s = useSessionObject(session)
  const warning = useSession((state) => state.warning, s)
  const [, tick] = useState(0)
  useEffect(() => {
    if (!warning) return
    const id = setInterval(() => tick((n) => n + 1), 1000)
    return () => clearInterval(id)
  }, [warning])
  return {
    showing: warning !== null,
    remainingMs: warning ? Math.max(0, warning.deadline - Date.now()) : 0,
    reason: warning?.reason ?? null,
    stayActive: s.stayActive,
  }
}

/** Subscribes to one session event for the component's lifetime. */
export function useSessionEvent<E extends Parameters<Session['on']>[0]>(event: E, handler: Parameters<Session['on']>[1] & ((payload: any) => void), session?: Session) {
  const s = useSessionObject(session)
  const latest = useLatest(handler)
  useEffect(() => s.on(event, (payload) => latest.current(payload)), [s, event])
}

function useLatest<T>(value: T) {
  const [ref] = useState(() => ({ current: value }))
  ref.current = value
  return ref
}
