// createSession: owns the state and wires the parts (fetch wrapper, refresh, presence,
// tabs, return-to) together. The parts never talk to each other directly.
import { raceAbort, within } from './abort.js'
import { createDeadline } from './clock.js'
import { createEmitter } from './emitter.js'
import { LockTimeoutError, OptionError, SessionEndedError, TransientRefreshError } from './errors.js'
import { normalizeOptions } from './options.js'
import { initialState, nextState } from './state.js'
import type { RefreshResult, Session, SessionEvents, SessionOptions, SessionState, SignOutReason } from './types.js'
import { createSessionFetch } from '../http/fetch.js'
import { createOriginCheck } from '../http/origin.js'
import { callRefreshEndpoint } from '../http/refresh-call.js'
import { problemWith } from '../http/result.js'
import { createReturnTo } from '../navigation/return-to.js'
import { createPresenceTracker } from '../presence/tracker.js'
import type { Credentials, TabMessage } from '../tabs/protocol.js'
import { connectTabs } from '../tabs/sync.js'

type Events = SessionEvents & { change: [SessionState, SessionState] }

/** Forced sign-outs save the return URL and run beforeSignOut; an explicit logout does not. */
const FORCED: SignOutReason[] = ['idle', 'expired', 'refreshFailed', 'revoked']
const ACTIVITY_BROADCAST_MS = 1_000
/** How long a new tab waits for a live tab's answer to its hello. */
const HELLO_WAIT_MS = 300

/** A comparable identity for `userChanged` (id, sub, or the whole JSON). */
const identity = (user: any) => (user && typeof user === 'object' ? String(user.id ?? user.sub ?? JSON.stringify(user)) : user)

export function createSession(options?: SessionOptions): Session {
  const o = normalizeOptions(options)
  const { now, timers, name } = o
  const bearer = o.credentials === 'bearer'
  const browser = typeof window !== 'undefined' && typeof document !== 'undefined'
  const emitter = createEmitter<Events>()
  const target = createOriginCheck(o.tokenOrigins)
  const returnTo = createReturnTo({ param: o.returnParam, storage: o.returnStorage, key: `${name}:returnTo`, loginUrl: o.loginUrl })

  let state: SessionState = initialState
  let token: string | null = null // bearer mode only; memory only, never stored
  let ttl = 0 // lifetime of the current credentials, for the proactive refresh lead
  let lastUser: unknown // identity of the last signed-in user (undefined: none yet)
  let flight: Promise<boolean> | null = null
  let failures = 0
  let retryAt: number | null = null
  let remoteRefreshing = false
  let remoteTimer: unknown = null
  let startPromise: Promise<SessionState> | null = null
  let destroyed = false
  const cleanup: Array<() => void> = []

  const set = (patch: Partial<SessionState>) => {
    const previous = state
    state = nextState(state, patch)
    if (state !== previous) emitter.emit('change', [state, previous])
  }
  const nextVersion = () => Math.max(state.version + 1, now())
  const report = (error: unknown, during: SessionEvents['error']['during']) => emitter.emit('error', { error, during })

  const presence = createPresenceTracker(o.idle, o.absoluteWarnBefore, {
    now,
    timers,
    onChange(snapshot) {
      const changed = state.presence !== snapshot.presence
      set(snapshot)
      // Warning or idle pauses the proactive refresh; coming back resumes it (now, if due).
      if (changed) scheduleRefresh()
    },
    onEvent: (event, payload) => emitter.emit(event, payload as Events[typeof event]),
    onLocalActivity: shareActivity,
    onIdle: () => o.idle?.onIdle !== 'none' && void forcedEnd('idle'),
    onExpired: () => void forcedEnd('expired'),
  })

  // ---- proactive refresh and retries: one timer ------------------------------------------
  const refreshTimer = createDeadline(now, timers, () => void refresh())
  function scheduleRefresh() {
    if (destroyed || state.status === 'signedOut') return refreshTimer.set(null)
    if (retryAt !== null) return refreshTimer.set(retryAt)
    // No proactive refresh while warning or idle: the server's own idle timeout may run.
    if (state.status !== 'authenticated' || state.presence !== 'active' || state.expiresAt === null) return refreshTimer.set(null)
    refreshTimer.set(state.expiresAt - Math.min(o.refreshBefore, ttl / 2))
  }

  // ---- cross-tab ------------------------------------------------------------------------
  const tabs = o.crossTab && browser ? connectTabs(name, o.crossTab, received) : null
  const current = (): Credentials => ({
    version: state.version,
    expiresAt: state.expiresAt!,
    absoluteExpiresAt: state.absoluteExpiresAt,
    user: state.user,
    ...(token ? { accessToken: token } : {}),
  })
  let lastShared = -Infinity
  let activityTimer: unknown = null
  // Leading and trailing edge, at most one message a second: activity storms stay local.
  function shareActivity(at: number) {
    if (!tabs || activityTimer !== null) return
    const wait = lastShared + ACTIVITY_BROADCAST_MS - at
    if (wait <= 0) {
      lastShared = at
      tabs.post({ type: 'activity', at })
    } else
      activityTimer = timers.setTimeout(() => {
        activityTimer = null
        lastShared = now()
        tabs.post({ type: 'activity', at: presence.lastActivity() })
      }, wait)
  }

  function received(m: TabMessage) {
    if (destroyed) return
    switch (m.type) {
      case 'hello':
        if (state.status === 'authenticated')
          tabs!.post({ type: 'state', to: m.from, status: 'authenticated', lastActivity: presence.lastActivity(), credentials: current(), version: state.version })
        return
      case 'state':
        if (m.to !== tabs!.id || !m.credentials) return
        if (m.credentials.version > state.version) adopt(m.credentials, 'refreshed', 'otherTab')
        presence.activity(m.lastActivity)
        return
      case 'refreshed':
      case 'signedIn':
        remoteRefreshing = false
        if (m.credentials.version > state.version) adopt(m.credentials, m.type, 'otherTab')
        else set({ refreshing: flight !== null })
        return
      case 'signedOut':
        remoteRefreshing = false
        // Revocation is a security event every tab should show as such; the rest is 'otherTab'.
        if (state.status !== 'signedOut' && m.version > state.version)
          endLocally(m.reason === 'revoked' ? 'revoked' : 'otherTab', m.version, FORCED.includes(m.reason))
        return
      case 'activity':
        return presence.activity(m.at)
      case 'stayActive':
        return presence.stayActive(m.at)
      case 'refreshing':
        remoteRefreshing = m.active
        // A tab that closes mid-refresh never says it stopped: forget it after a bound.
        if (remoteTimer !== null) timers.clearTimeout(remoteTimer)
        remoteTimer = m.active
          ? timers.setTimeout(() => {
              remoteTimer = null
              remoteRefreshing = false
              set({ refreshing: flight !== null })
            }, 2 * o.refreshTimeout)
          : null
        return set({ refreshing: m.active || flight !== null })
    }
  }

  /** Resolves true once state.version reaches `version`, false after `ms`. */
  function waitForVersion(version: number, ms: number): Promise<boolean> {
    let off = () => {}
    const reached = new Promise<boolean>((resolve) => {
      if (state.version >= version) return resolve(true)
      off = emitter.on('change', ([s]) => s.version >= version && resolve(true))
    })
    return within(reached, ms, false, timers).finally(() => off())
  }

  // ---- refresh: single flight in the tab, one at a time across tabs ---------------------
  function refresh(): Promise<boolean> {
    if (destroyed) return Promise.resolve(false)
    return (flight ??= runRefresh().finally(() => {
      flight = null
      set({ refreshing: remoteRefreshing })
      tabs?.post({ type: 'refreshing', active: false })
    }))
  }

  function runRefresh(): Promise<boolean> {
    const startVersion = state.version
    const requestedAt = now()
    set({ refreshing: true })
    tabs?.post({ type: 'refreshing', active: true })
    // The outcome is reported as soon as it is known; the lock may be held a little longer
    // (see refreshHoldingLock), so `report` resolves the flight, not the lock callback.
    return new Promise<boolean>((report) => {
      const work = () => refreshHoldingLock(startVersion, requestedAt, report)
      if (!tabs) return void work()
      tabs.lock.run(`${name}:refresh`, work, o.lockTimeout).catch((error) => {
        if (!(error instanceof LockTimeoutError)) return report(false)
        // A live holder gives up after refreshTimeout (< lockTimeout), so a holder this late
        // is frozen or gone: going on without the lock is the safe choice, and is reported.
        emitter.emit('lockTimeout', { lock: error.lock, waitedMs: error.waitedMs })
        return work()
      })
    })
  }

  /** Another tab's result that arrived while this tab waited for the lock, if any. */
  async function resultOfOtherTab(startVersion: number, requestedAt: number): Promise<boolean | null> {
    if (state.version !== startVersion) return state.status === 'authenticated'
    const marker = await tabs?.latest()
    // Versions are creation times, so a marker newer than our request is a change made
    // while we waited. Its broadcast may still be on its way: give it a moment.
    if (!marker || marker.version < requestedAt || marker.version <= startVersion) return null
    if (await waitForVersion(marker.version, bearer ? 2_000 : 500)) return state.status === 'authenticated'
    if (marker.kind === 'o') {
      endLocally('otherTab', marker.version, false)
      return false
    }
    // Cookie mode needs nothing secret from the other tab: the marker holds the deadlines.
    if (!bearer && marker.expiresAt! > now()) {
      adopt({ version: marker.version, expiresAt: marker.expiresAt!, absoluteExpiresAt: marker.absoluteExpiresAt, user: state.user }, 'refreshed', 'otherTab')
      return true
    }
    return null
  }

  async function refreshHoldingLock(startVersion: number, requestedAt: number, report: (fresh: boolean) => void): Promise<void> {
    if (destroyed) return report(false)
    const other = await resultOfOtherTab(startVersion, requestedAt)
    if (other !== null) return report(other)
    const controller = new AbortController()
    const timer = timers.setTimeout(() => controller.abort(), o.refreshTimeout)
    // The built-in call is not aborted at the network level on timeout: if the server has
    // already rotated the refresh cookie, the reply must still reach the cookie jar, or the
    // next refresh would present a spent token and be treated as theft.
    const call = o.refresh ? o.refresh({ signal: controller.signal }) : callRefreshEndpoint(o.fetch(), o.refreshUrl, now())
    const checked = async (promise: Promise<RefreshResult>) => {
      const result = await promise
      const problem = problemWith(result, bearer)
      if (problem) throw new TransientRefreshError(`malformed reply: ${problem}`)
      return result
    }
    const usable = checked(call)
    try {
      const result = await raceAbort(usable, controller.signal)
      if (!destroyed && state.version === startVersion) await accept(result, 'refreshed')
      return report(state.status === 'authenticated')
    } catch (error) {
      if (!controller.signal.aborted) return report(failed(error))
      report(failed(new TransientRefreshError('timed out')))
      // Keep the lock while the late reply may still land (bounded), and use it if it does.
      const late = await within(usable, o.refreshTimeout, null, timers)
      if (late && !destroyed && state.status !== 'signedOut') await accept(late, 'refreshed')
    } finally {
      timers.clearTimeout(timer)
    }
  }

  function failed(error: unknown): false {
    if (error instanceof SessionEndedError) {
      emitter.emit('refreshFailed', { error, transient: false, retryAt: null })
      if (state.status === 'authenticated') void forcedEnd(error.reason)
      else set({ status: 'signedOut' })
      return false
    }
    const transient = error instanceof TransientRefreshError ? error : new TransientRefreshError(String((error as Error)?.message ?? error))
    failures++
    // Exponential backoff with jitter, capped; the server's Retry-After wins when given.
    const backoff = Math.min(o.retryMax, o.retryBase * 2 ** (failures - 1)) * (0.5 + Math.random() / 2)
    retryAt = now() + Math.min(o.retryMax, transient.retryAfter ?? backoff)
    report(transient, 'refresh')
    emitter.emit('refreshFailed', { error: transient, transient: true, retryAt })
    scheduleRefresh()
    return false
  }

  /** Takes a result from this tab's own refresh or sign-in, and tells the other tabs. */
  async function accept(result: RefreshResult, kind: 'refreshed' | 'signedIn') {
    const at = now()
    const credentials: Credentials = {
      version: nextVersion(),
      expiresAt: at + result.expiresIn * 1000,
      absoluteExpiresAt: result.absoluteExpiresIn ? at + result.absoluteExpiresIn * 1000 : kind === 'refreshed' ? state.absoluteExpiresAt : null,
      user: 'user' in result ? result.user : kind === 'refreshed' ? state.user : null,
      ...(result.accessToken ? { accessToken: result.accessToken } : {}),
    }
    adopt(credentials, kind, 'self')
    tabs?.post({ type: kind, credentials })
    // Held before the refresh lock is released, so the next holder sees it (see sync.ts).
    await tabs?.mark('r', credentials)
  }

  function adopt(c: Credentials, kind: 'refreshed' | 'signedIn', source: 'self' | 'otherTab') {
    const wasAuthenticated = state.status === 'authenticated'
    if (c.accessToken || !bearer) token = c.accessToken ?? null
    ttl = c.expiresAt - now()
    failures = 0
    retryAt = null
    set({ status: 'authenticated', expiresAt: c.expiresAt, absoluteExpiresAt: c.absoluteExpiresAt, user: c.user ?? null, version: c.version, reason: null })
    presence.setAbsoluteExpiry(c.absoluteExpiresAt)
    if (!wasAuthenticated) presence.start()
    scheduleRefresh()
    if (!wasAuthenticated || kind === 'signedIn') {
      const id = identity(c.user)
      emitter.emit('signedIn', { user: c.user ?? null, userChanged: lastUser !== undefined && id !== lastUser, source })
      lastUser = id
    }
    if (kind === 'refreshed') emitter.emit('refreshed', { expiresAt: c.expiresAt, version: c.version, source })
  }

  // ---- ending the session ---------------------------------------------------------------
  /** Signs this tab out without asking the server; returns the saved return URL. */
  function endLocally(reason: SignOutReason, version: number, saveReturnTo: boolean): string | null {
    const saved = saveReturnTo ? returnTo.save() : null
    token = null
    retryAt = null
    failures = 0
    presence.stop()
    set({ status: 'signedOut', reason, version, expiresAt: null, absoluteExpiresAt: null, user: null, refreshing: false })
    scheduleRefresh()
    emitter.emit('signedOut', { reason, returnTo: saved })
    return saved
  }

  async function endSession(reason: SignOutReason, everywhere: boolean, saveReturnTo: boolean) {
    const bearerToken = token
    const version = nextVersion()
    if (state.status !== 'signedOut') {
      endLocally(reason, version, saveReturnTo)
      if (everywhere && tabs) {
        tabs.post({ type: 'signedOut', reason, version })
        void tabs.mark('o', { version })
      }
    }
    // The server is told after the tabs, so they stop using the session at once; a failed
    // logout call still leaves every tab signed out.
    try {
      const res = await o.fetch()(o.logoutUrl, {
        method: 'POST',
        credentials: 'include',
        ...(bearerToken ? { headers: { Authorization: `Bearer ${bearerToken}` } } : {}),
      })
      res.body?.cancel().catch(() => {})
    } catch (error) {
      report(error, 'logout')
    }
  }

  /**
   * A sign-out the user did not ask for: save drafts (bounded), then end once for the
   * whole origin. Tabs reach an idle deadline together; the end lock lets one of them
   * talk to the server while the rest learn of it by message or marker.
   */
  async function forcedEnd(reason: SignOutReason) {
    if (state.status !== 'authenticated') return
    const startVersion = state.version
    if (o.beforeSignOut)
      await within(
        Promise.resolve()
          .then(() => o.beforeSignOut!({ reason }))
          .catch((error) => report(error, 'beforeSignOut')),
        o.beforeSignOutTimeout,
        undefined,
        timers,
      )
    const end = async () => {
      if (state.status !== 'authenticated' || state.version !== startVersion) return
      const marker = await tabs?.latest()
      if (marker?.kind === 'o' && marker.version > startVersion) return void endLocally('otherTab', marker.version, true)
      await endSession(reason, true, true)
    }
    if (!tabs) return end()
    await tabs.lock.run(`${name}:end`, end, o.lockTimeout).catch(end)
  }

  // ---- wake-ups: timers may have slept -------------------------------------------------
  const check = () => {
    presence.check()
    refreshTimer.check()
  }
  if (browser) {
    const listen = (t: EventTarget, type: string, fn: () => void) => {
      t.addEventListener(type, fn)
      cleanup.push(() => t.removeEventListener(type, fn))
    }
    listen(document, 'visibilitychange', () => document.visibilityState === 'visible' && check())
    listen(window, 'focus', check)
    listen(window, 'pageshow', check)
    // Back online: retry a refresh that failed for network reasons now, not at its backoff.
    listen(window, 'online', () => retryAt !== null && void refresh())
  }

  const sessionFetch = createSessionFetch({
    fetch: o.fetch,
    target,
    bearer,
    token: () => token,
    version: () => state.version,
    status: () => state.status,
    refresh,
    emit: emitter.emit,
  })

  return {
    options: { name, credentials: o.credentials, loginUrl: o.loginUrl },
    getState: () => state,
    subscribe: (listener) => emitter.on('change', ([s, p]) => listener(s, p)),
    on: (event, handler) => emitter.on(event, handler),
    start() {
      return (startPromise ??= (async () => {
        if (state.status === 'unknown' && tabs && (await tabs.othersAlive()) !== false) {
          tabs.post({ type: 'hello' })
          await waitForVersion(1, HELLO_WAIT_MS)
        }
        if (state.status === 'unknown') await refresh()
        return state
      })())
    },
    fetch: sessionFetch,
    refresh,
    signIn(result) {
      const problem = problemWith(result, bearer)
      if (problem) throw new OptionError('signIn(result)', `a refresh result ({ expiresIn, accessToken?, ... }): ${problem}`, result)
      void accept(result, 'signedIn')
    },
    signOut({ reason = 'logout', everywhere = true, saveReturnTo } = {}) {
      return endSession(reason, everywhere, saveReturnTo ?? FORCED.includes(reason))
    },
    stayActive() {
      const at = now()
      presence.stayActive(at)
      tabs?.post({ type: 'stayActive', at })
    },
    getRemainingTime: () => presence.remaining(),
    saveReturnTo: (url) => void returnTo.save(url),
    consumeReturnTo: (fallback) => returnTo.consume(fallback),
    redirectToLogin: ({ returnTo: url } = {}) => returnTo.redirect(url),
    authorizationFor: (url) => (bearer && token && target(url) ? `Bearer ${token}` : null),
    isTrustedUrl: (url) => target(url) !== 0,
    destroy() {
      if (destroyed) return
      destroyed = true
      cleanup.forEach((fn) => fn())
      presence.stop()
      refreshTimer.set(null)
      if (activityTimer !== null) timers.clearTimeout(activityTimer)
      if (remoteTimer !== null) timers.clearTimeout(remoteTimer)
      tabs?.close()
      emitter.clear()
    },
  }
}
