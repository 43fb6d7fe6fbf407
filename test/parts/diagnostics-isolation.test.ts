// The diagnostics part must never change what the session does: a timeline listener that
// throws, or a hostile message it records, leaves messages, locks and state as they were.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSession, diagnostics } from '../../src/index.js'
import type { DiagnosticsMethods, Session } from '../../src/index.js'
import { createLocalHub, createLocalLock } from '../helpers/tabs.js'
import { track } from '../helpers/sessions.js'

type Diag = Session & DiagnosticsMethods
const uncaught: unknown[] = []
const onUncaught = (e: unknown) => void uncaught.push(e)
afterEach(() => {
  process.off('uncaughtException', onUncaught)
  uncaught.length = 0
})

function tabs(n: number) {
  const hub = createLocalHub()
  const lock = createLocalLock()
  const seen: string[] = []
  const refresh = async () => (seen.push(`held:${lock.isHeld('session-continuity:refresh')}`), { expiresIn: 300 })
  const list = Array.from({ length: n }, () => track(createSession({ refresh, fetch: async () => new Response(null, { status: 204 }), crossTab: { channel: hub.channel(), lock }, use: [diagnostics()] }) as Diag))
  return { list, seen, hub }
}

describe('diagnostics: a throwing timeline listener', () => {
  it('does not stop the messages it records: a sign-out still reaches the other tab', async () => {
    process.on('uncaughtException', onUncaught)
    const { list: [a, b] } = tabs(2)
    a!.onTimeline(() => {
      throw new Error('panel bug')
    })
    await a!.start()
    await b!.start()
    await a!.signOut()
    await vi.waitFor(() => expect(b!.getState()).toMatchObject({ status: 'signedOut', reason: 'logout', fromOtherTab: true }))
    // The listener's error is reported (asynchronously), like a throwing event handler's.
    await vi.waitFor(() => expect(String(uncaught[0])).toContain('panel bug'))
    // Receiving works too: the other tab's listener throwing does not drop a message.
    b!.onTimeline(() => {
      throw new Error('panel bug')
    })
    await a!.start().then(() => a!.signIn({ expiresIn: 300 }))
    await vi.waitFor(() => expect(b!.getState().status).toBe('authenticated'))
  })

  it('does not make a refresh run outside the cross-tab lock', async () => {
    process.on('uncaughtException', onUncaught)
    const { list: [a], seen } = tabs(1)
    a!.onTimeline(() => {
      throw new Error('panel bug')
    })
    const timeouts: unknown[] = []
    a!.on('lockTimeout', (e) => timeouts.push(e))
    await a!.start()
    await a!.refresh()
    expect(seen).toEqual(['held:true', 'held:true'])
    expect(timeouts).toEqual([])
  })
})

describe('diagnostics: destroy()', () => {
  it('removes the timeline listeners: a lock granted after destroy() calls none of them', async () => {
    const hub = createLocalHub()
    const lock = createLocalLock()
    const session = track(createSession({ refresh: async () => ({ expiresIn: 300 }), crossTab: { channel: hub.channel(), lock }, use: [diagnostics()] }) as Diag)
    const heard = vi.fn()
    session.onTimeline(heard)
    const release = await lock.hold!('session-continuity:refresh') // another tab refreshing
    const waiting = session.refresh()
    await vi.waitFor(() => expect(heard).toHaveBeenCalledWith(expect.objectContaining({ what: 'refresh' })))
    heard.mockClear()
    session.destroy()
    release()
    await waiting
    expect(heard).not.toHaveBeenCalled()
  })
})

describe('diagnostics: a hostile message', () => {
  it('whose type or sender cannot become a string is recorded, not thrown, and handed on for validation', () => {
    let deliver!: (m: unknown) => void
    const inner = { post: () => {}, subscribe: (h: (m: unknown) => void) => ((deliver = h), () => {}), close: () => {} }
    const part = diagnostics()
    const channel = part.channel!(inner, 'x')!
    const handed: unknown[] = []
    channel.subscribe((m) => handed.push(m))
    // What a structured clone or JSON can carry: an object whose toString is not a function.
    const hostile = [{ v: 1, type: { toString: 1 }, from: 'a' }, { v: 1, type: 'hello', from: { toString: 1, valueOf: 2 } }, null, 7]
    for (const m of hostile) expect(() => deliver(m)).not.toThrow()
    expect(handed).toEqual(hostile)
  })
})
