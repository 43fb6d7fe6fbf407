// session-continuity/vue: a plugin and composables over getState/subscribe, the same shape
// as the React bindings (useSession with a selector, useIdleWarning, useSessionEvent).
import { computed, getCurrentInstance, getCurrentScope, inject, onBeforeMount, onScopeDispose, shallowRef, watch, type App, type ComputedRef, type InjectionKey, type Ref } from 'vue'
import type { IdleMethods, RegisteredUser, Session, SessionEventName, SessionEvents, SessionState, WarningReason } from '../index.js'

export const sessionKey: InjectionKey<Session<any>> = Symbol('session-continuity')

export const sessionPlugin = {
  install(app: App, session: Session<any>) {
    app.provide(sessionKey, session)
  },
}

function sessionObject<User>(session?: Session<User>): Session<User> {
  const s = session ?? inject(sessionKey, null)
  if (!s) throw new Error('session-continuity/vue: app.use(sessionPlugin, session) first, or pass a session')
  return s as Session<User>
}

/**
 * Runs `start` and undoes it when the calling effect scope (component, effectScope) is disposed.
 * In a component that is not mounted yet, `start` waits for beforeMount: server-side rendering
 * runs setup() but never disposes a component's scope (nor runs beforeMount), so a listener
 * added in setup() would stay on a shared session once per request.
 */
const live = (start: () => () => void) => {
  let stop: (() => void) | undefined
  const go = () => void (stop = start())
  const instance = getCurrentInstance()
  instance && !instance.isMounted ? onBeforeMount(go) : go()
  getCurrentScope() && onScopeDispose(() => stop?.())
}

/**
 * The session state, or a slice of it, as a readonly ref, unsubscribed when the calling
 * scope is disposed. `User` comes from the session passed in, or from the app's `Register`.
 */
export function useSession<User = RegisteredUser, T = SessionState<User>>(selector?: (state: SessionState<User>) => T, session?: Session<User>): Readonly<Ref<T>> {
  const s = sessionObject(session)
  const state = shallowRef(s.getState())
  live(() => ((state.value = s.getState()), s.subscribe((next) => (state.value = next))))
  return computed(() => (selector ? selector(state.value) : (state.value as unknown as T)))
}

export interface IdleWarningRefs {
  showing: ComputedRef<boolean>
  remainingMs: ComputedRef<number>
  reason: ComputedRef<WarningReason | null>
  stayActive: () => void
}

/** The warning, with a countdown (on the session's clock) ticking once a second only while it shows. Needs the idle() part. */
export function useIdleWarning(session?: Session<any> & IdleMethods): IdleWarningRefs {
  const s = sessionObject(session) as Session<any> & Partial<IdleMethods>
  if (process.env.NODE_ENV != 'production' && !s.stayActive) throw new Error('session-continuity/vue: useIdleWarning needs a session created with the idle() part')
  const warning = useSession((state) => state.warning, s)
  const now = shallowRef(s.now())
  let timer: ReturnType<typeof setInterval> | undefined
  const stop = () => clearInterval(timer)
  live(() => {
    const unwatch = watch(
      warning,
      (showing) => {
        stop()
        now.value = s.now()
        if (showing) timer = setInterval(() => (now.value = s.now()), 1000)
      },
      { immediate: true },
    )
    return () => (unwatch(), stop())
  })
  return {
    showing: computed(() => warning.value !== null),
    remainingMs: computed(() => (warning.value ? Math.max(0, warning.value.deadline - now.value) : 0)),
    reason: computed(() => warning.value?.reason ?? null),
    stayActive: () => s.stayActive!(),
  }
}

/** Subscribes to one session event until the calling scope is disposed; the payload is typed by the event's name. */
export function useSessionEvent<E extends SessionEventName, User = RegisteredUser>(event: E, handler: (payload: SessionEvents<User>[E]) => void, session?: Session<User>) {
  const s = sessionObject(session)
  live(() => s.on(event, handler))
}
