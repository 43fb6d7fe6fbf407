// session-continuity/vue: a plugin and composables over getState/subscribe.
import { computed, getCurrentScope, inject, onScopeDispose, readonly, shallowRef, watch, type App, type ComputedRef, type InjectionKey, type Ref } from 'vue'
import type { Session, SessionState, WarningReason } from '../core/types.js'

export const sessionKey: InjectionKey<Session> = Symbol('session-continuity')

export const sessionPlugin = {
  install(app: App, session: Session) {
    app.provide(sessionKey, session)
  },
}

function sessionObject(session?: Session): Session {
  const s = session ?? inject(sessionKey, null)
  if (!s) throw new Error('session-continuity/vue: app.use(sessionPlugin, session) first, or pass a session')
  return s
}

/** The session state as a readonly ref, unsubscribed when the calling scope is disposed. */
export function useSession(session?: Session): Readonly<Ref<SessionState>> {
  const s = sessionObject(session)
  const state = shallowRef(s.getState())
  const off = s.subscribe((next) => (state.value = next))
  if (getCurrentScope()) onScopeDispose(off)
  return readonly(state) as Readonly<Ref<SessionState>>
}

export interface IdleWarningRefs {
  showing: ComputedRef<boolean>
  remainingMs: ComputedRef<number>
  reason: ComputedRef<WarningReason | null>
  stayActive: () => void
}

/** The warning, with a countdown ticking once a second only while it shows. */
export function useIdleWarning(session?: Session): IdleWarningRefs {
  const s = sessionObject(session)
  const state = useSession(s)
  const now = shallowRef(Date.now())
  let timer: ReturnType<typeof setInterval> | undefined
  const stop = () => timer !== undefined && (clearInterval(timer), (timer = undefined))
  watch(
    () => state.value.warning,
    (warning) => {
      stop()
      now.value = Date.now()
      if (warning) timer = setInterval(() => (now.value = Date.now()), 1000)
    },
    { immediate: true },
  )
  if (getCurrentScope()) onScopeDispose(stop)
  return {
    showing: computed(() => state.value.warning !== null),
    remainingMs: computed(() => (state.value.warning ? Math.max(0, state.value.warning.deadline - now.value) : 0)),
    reason: computed(() => state.value.warning?.reason ?? null),
    stayActive: () => s.stayActive(),
  }
}
