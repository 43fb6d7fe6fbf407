// Types the bindings promise: the user typed once (generic or Register) flows into getState,
// events and the hooks; event handlers are narrowed by the event's name. Checked by `tsc`
// (npm run typecheck); the assertions below also run.
import { describe, expect, expectTypeOf, it } from 'vitest'
import { createSession, idle, returnTo, type IdleMethods, type Part, type ReturnToMethods, type Session, type SessionEvents } from '../../src/index.js'
import type { useSession as useReactSession, useSessionEvent as useReactSessionEvent } from '../../src/adapters/react.js'
import type { useSession as useVueSession } from '../../src/adapters/vue.js'

interface User {
  id: string
  name: string
}

describe('typed sessions', () => {
  it('createSession<User> types state, events and the parts’ methods', () => {
    // With parts, both type arguments are named (TypeScript infers all of them or none).
    const session = createSession<User, [Part<IdleMethods>, Part<ReturnToMethods>]>({ crossTab: false, use: [idle({ timeout: 60_000 }), returnTo()] })
    expectTypeOf(session.getState().user).toEqualTypeOf<User | null>()
    session.on('signedIn', (e) => expectTypeOf(e.user).toEqualTypeOf<User | null>())
    session.on('signedOut', (e) => expectTypeOf(e.fromOtherTab).toEqualTypeOf<boolean>())
    expectTypeOf(session.stayActive).toEqualTypeOf<() => void>()
    expectTypeOf(session.consumeReturnTo).toBeFunction()
    const plain = createSession({ crossTab: false })
    // @ts-expect-error: no idle() part, no stayActive
    plain.stayActive
    expect(typeof session.stayActive).toBe('function')
    session.destroy()
    plain.destroy()
  })

  it('the hooks take the user from the session and narrow event payloads by name', () => {
    type Select = Parameters<typeof useReactSession<User, string | undefined>>[0]
    expectTypeOf<Select>().toEqualTypeOf<((state: import('../../src/index.js').SessionState<User>) => string | undefined) | undefined>()
    type Handler<E extends keyof SessionEvents> = Parameters<typeof useReactSessionEvent<E, User>>[1]
    expectTypeOf<Parameters<Handler<'signedOut'>>[0]>().toEqualTypeOf<SessionEvents<User>['signedOut']>()
    expectTypeOf<Parameters<Handler<'refreshed'>>[0]>().toEqualTypeOf<SessionEvents<User>['refreshed']>()
    type VueSelect = Parameters<typeof useVueSession<User, number>>[0]
    expectTypeOf<VueSelect>().toEqualTypeOf<((state: import('../../src/index.js').SessionState<User>) => number) | undefined>()
    const s: Session<User> = createSession<User>({ crossTab: false })
    expect(s.now()).toBeGreaterThan(0)
    s.destroy()
  })
})
