import { act, cleanup, render, screen } from '@testing-library/react'
import { createElement, Fragment, startTransition, StrictMode, Suspense, use, useRef } from 'react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSession, idle, type Session } from '../../src/index.js'
import { SessionProvider, useIdleWarning, useSession, useSessionEvent } from '../../src/adapters/react.js'

;(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true
let sessions: Session[] = []
afterEach(() => {
  cleanup()
  sessions.forEach((s) => s.destroy())
  sessions = []
  vi.useRealTimers()
})

function make(idleOptions = { timeout: 60_000, warnBefore: 10_000 }) {
  const session = createSession({ crossTab: false, fetch: async () => Response.json({ expiresIn: 3600 }), use: [idle(idleOptions)] })
  sessions.push(session)
  return session
}
/** Counts live subscriptions, to prove StrictMode and unmount leave nothing behind. */
function countSubscriptions(session: Session) {
  const counter = { live: 0 }
  const subscribe = session.subscribe
  session.subscribe = (listener) => {
    counter.live++
    const off = subscribe(listener)
    return () => (counter.live--, off())
  }
  return counter
}

function Status() {
  const status = useSession((s) => s.status)
  const renders = useRef(0)
  renders.current++
  return createElement('p', { 'data-testid': 'status', 'data-renders': renders.current }, status)
}
function Warning() {
  const { showing, remainingMs, stayActive } = useIdleWarning()
  return showing ? createElement('button', { onClick: stayActive }, `${Math.ceil(remainingMs / 1000)} s`) : createElement('span', null, 'no warning')
}

describe('session-continuity/react', () => {
  it('renders state and follows changes; a selector skips unrelated updates', async () => {
    const session = make()
    render(createElement(SessionProvider, { session }, createElement(Status)))
    expect(screen.getByTestId('status').textContent).toBe('unknown')
    await act(async () => void session.signIn({ expiresIn: 3600 }))
    expect(screen.getByTestId('status').textContent).toBe('authenticated')
    const renders = Number(screen.getByTestId('status').dataset.renders)
    await act(async () => session.stayActive()) // presence timestamps change, status does not
    expect(Number(screen.getByTestId('status').dataset.renders)).toBe(renders)
  })

  it('useIdleWarning counts down once a second only while the warning shows, and stayActive dismisses it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    const session = make()
    session.signIn({ expiresIn: 3600 })
    render(createElement(SessionProvider, { session }, createElement(Warning)))
    expect(screen.getByText('no warning')).toBeTruthy()
    const intervalsBefore = vi.getTimerCount()
    await act(async () => void vi.advanceTimersByTime(50_000))
    expect(screen.getByRole('button').textContent).toBe('10 s')
    await act(async () => void vi.advanceTimersByTime(3_000))
    expect(screen.getByRole('button').textContent).toBe('7 s')
    await act(async () => screen.getByRole('button').click())
    expect(screen.getByText('no warning')).toBeTruthy()
    expect(vi.getTimerCount()).toBe(intervalsBefore) // the ticking interval is gone
  })

  it('StrictMode double mount leaves one subscription while mounted and none after unmount', () => {
    const session = make()
    const counter = countSubscriptions(session)
    const view = render(createElement(StrictMode, null, createElement(SessionProvider, { session }, createElement(Status))))
    expect(counter.live).toBe(1)
    view.unmount()
    expect(counter.live).toBe(0)
  })

  it('renders on the server with the current snapshot', () => {
    const session = make()
    session.signIn({ expiresIn: 60 })
    expect(renderToString(createElement(SessionProvider, { session }, createElement(Status)))).toContain('authenticated')
  })

  it('explains a missing provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(createElement(Status))).toThrow(/SessionProvider/)
  })

  it('useSessionEvent calls the handler of the last committed render, not of one React threw away', async () => {
    const session = make()
    const calls: string[] = []
    const never = new Promise<never>(() => {})
    function Listener({ label }: { label: string }) {
      useSessionEvent('signedIn', () => calls.push(label), session)
      return createElement('p', null, label)
    }
    function Suspends({ suspend }: { suspend: boolean }): null {
      if (suspend) use(never)
      return null
    }
    const App = ({ label, suspend }: { label: string; suspend: boolean }) =>
      createElement(Fragment, null, createElement(Listener, { label }), createElement(Suspense, { fallback: null }, createElement(Suspends, { suspend })))
    const view = render(createElement(App, { label: 'committed', suspend: false }))
    // A transition whose render suspends is not committed: the screen keeps the old label.
    await act(async () => startTransition(() => view.rerender(createElement(App, { label: 'discarded', suspend: true }))))
    expect(screen.getByText('committed')).toBeTruthy()
    await act(async () => void session.signIn({ expiresIn: 3600 }))
    expect(calls).toEqual(['committed'])
  })
})
