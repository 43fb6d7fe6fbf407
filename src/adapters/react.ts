// session-continuity/react: thin bindings over getState/subscribe (useSyncExternalStore).
import { createContext, createElement, useContext, useEffect, useInsertionEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react'
import type { IdleMethods, RegisteredUser, Session, SessionEventName, SessionEvents, SessionState, WarningReason } from '../index.js'

const SessionContext = createContext<Session<any> | null>(null)

export function SessionProvider<User = RegisteredUser>({ session, children }: { session: Session<User>; children?: ReactNode }) {
  return createElement(SessionContext.Provider, { value: session }, children)
}

function useSessionObject<User>(session?: Session<User>): Session<User> {
  const fromContext = useContext(SessionContext)
  const s = session ?? fromContext
  if (!s) throw new Error('session-continuity/react: render inside <SessionProvider session={…}> or pass a session')
  return s
}

const whole = <T,>(state: SessionState<any>) => state as unknown as T

/**
 * The session state, or a slice of it. The selector should return state fields or primitives
 * (a new object each call would re-render forever, as with any useSyncExternalStore store).
 * `User` comes from the session passed in, or from the app's `Register` declaration.
 */
export function useSession<User = RegisteredUser, T = SessionState<User>>(selector: (state: SessionState<User>) => T = whole, session?: Session<User>): T {
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

/**
 * The warning, with a countdown (on the session's clock) that re-renders about once a second
 * only while it shows. Needs the idle() part.
 */
export function useIdleWarning(session?: Session<any> & IdleMethods): IdleWarning {
  const s = useSessionObject(session) as Session<any> & Partial<IdleMethods>
  if (process.env.NODE_ENV != 'production' && !s.stayActive) throw new Error('session-continuity/react: useIdleWarning needs a session created with the idle() part')
  const warning = useSession((state) => state.warning, s)
  const [, tick] = useState(0)
  useEffect(() => {
    if (!warning) return
    const id = setInterval(() => tick((n) => n + 1), 1000)
    return () => clearInterval(id)
  }, [warning])
  return {
    showing: warning !== null,
    remainingMs: warning ? Math.max(0, warning.deadline - s.now()) : 0,
    reason: warning?.reason ?? null,
    stayActive: s.stayActive!,
  }
}

/** Subscribes to one session event for the component's lifetime; the payload is typed by the event's name. */
export function useSessionEvent<E extends SessionEventName, User = RegisteredUser>(event: E, handler: (payload: SessionEvents<User>[E]) => void, session?: Session<User>) {
  const s = useSessionObject(session)
  const latest = useLatest(handler)
  useEffect(() => s.on(event, (payload) => latest.current(payload)), [s, event])
}

/**
 * The value of the last committed render. Written in an effect, not during render: a render
 * React throws away (a transition that suspends, an interrupted one) must not leave its handler
 * behind. Insertion effects run before every layout and passive effect, and not on the server.
 */
function useLatest<T>(value: T) {
  const ref = useRef(value)
  useInsertionEffect(() => void (ref.current = value))
  return ref
}
