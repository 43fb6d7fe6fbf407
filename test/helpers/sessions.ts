// Sessions for core tests: made against a stub server, destroyed (and real timers restored)
// after every test of the file that imports this module.
import { afterEach, expect, vi } from 'vitest'
import { createSession } from '../../src/index.js'
import type { Session, SessionEvents } from '../../src/index.js'
import type { StubServer } from './stub-server.js'

let sessions: Session[] = []
afterEach(() => {
  sessions.forEach((s) => s.destroy())
  sessions = []
  vi.useRealTimers()
})

/** Destroys `session` after the test. */
export const track = <S extends Session<any>>(session: S): S => (sessions.push(session), session)

/** A bearer-mode session in one tab (no cross-tab), destroyed after the test. */
export function bearerSession(server: StubServer, extra: Parameters<typeof createSession>[0] = {}) {
  const session = createSession({ credentials: 'bearer', crossTab: false, fetch: server.fetch, ...extra })
  sessions.push(session)
  return session
}

/** The same, started and signed in. */
export async function signedIn(server: StubServer, extra: Parameters<typeof createSession>[0] = {}) {
  const session = bearerSession(server, extra)
  await session.start()
  expect(session.getState().status).toBe('authenticated')
  return session
}

/** Records the payloads of one event. */
export const events = <E extends keyof SessionEvents>(session: Session, name: E) => {
  const seen: SessionEvents[E][] = []
  session.on(name, (p) => seen.push(p))
  return seen
}
