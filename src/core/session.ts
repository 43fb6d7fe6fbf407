// createSession: owns the state and wires the parts (fetch wrapper, refresh, presence,
// tabs, return-to) together. The parts never talk to each other directly.
import { raceAbort, within } from './abort.js'
import { createDeadline } from './clock.js'
import { createEmitter } from './emitter.js'
import { LockTimeoutError, OptionError, SessionEndedError, TransientRefreshError } from './errors.js'
import { listen } from './listen.js'
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
type Kind = 'refreshed' | 'signedIn'

/** Forced sign-outs save the return URL and run beforeSignOut; an explicit logout does not. */
const FORCED: SignOutReason[] = ['idle', 'expired', 'refreshFailed', 'revoked']

/** A comparable identity for `userChanged` (id, sub, or the whole JSON). */
const identity = (user: any) => (user && typeof user == 'object' ? String(user.id ?? user.sub ?? JSON.stringify(user)) : user)

export function createSession(options?: SessionOptions): Session {
  const o = normalizeOptions(options)
  const { now, timers, name } = o
  const bearer = o.credentials == 'bearer'
  const browser = typeof window != 'undefined' && typeof document != 'undefined'
  const emitter = createEmitter<Events>()
  const emit = emitter.emit
  const target = createOriginCheck(o.tokenOrigins)
  const returnTo = createReturnTo({ ...o.returnTo, key: `${name}:returnTo`, loginUrl: o.loginUrl })

  let state = initialState
  let token: string | null = null // bearer mode only; memory only, never stored
  let creds: Credentials | null = null // the credentials adopted last (what a new tab is told)
  let ttl = 0 // lifetime of the current credentials, for the proactive refresh lead
  let lastUser: unknown // identity of the last signed-in user (undefined: none yet)
  let flight: Promise<boolean> | null = null
  let failures = 0
  let retryAt: number | null = null
  let remote: unknown = null // timer while another tab says it is refreshing
  let lastShared = -Infinity
  let sharing: unknown = null // timer for the trailing activity broadcast
  let started: Promise<SessionState> | undefined
  let destroyed = false
  const cleanup: Array<() => void> = []

  const set = (patch: Partial<SessionState>) => {
    const previous = state
    state = nextState(state, patch)
    if (state != previous) emit('change', [state, previous])
  }
  const busy = () => set({ refreshing: !!flight || remote !== null })
  const clearRemote = () => {
    timers.clearTimeout(remote)
    remote = null
  }
  const nextVersion = () => Math.max(state.version + 1, now())
  const report = (error: unknown, during: SessionEvents['error']['during']) => emit('error', { error, during })

  const presence = createPresenceTracker(o.idle, o.absoluteWarnBefore, {
    now,
    timers,
    onChange(snapshot) {
      const changed = state.presence != snapshot.presence
      set(snapshot)
      // Warning or idle pauses the proactive refresh; coming back resumes it (now, if due).
      if (changed) scheduleRefresh()
    },
    onEvent: emit as never,
    onLocalActivity: shareActivity,
    onEnd: (reason) => void forcedEnd(reason),
  })

  // ---- proactive refresh and retries: one timer ------------------------------------------
  const refreshTimer = createDeadline(now, timers, () => void refresh())
  function scheduleRefresh() {
    // No proactive refresh while warning or idle: the server's own idle timeout may run.
    refreshTimer.set(
      destroyed || state.status == 'signedOut'
        ? null
        : (retryAt ?? (state.status == 'authenticated' && state.presence == 'active' ? state.expiresAt! - Math.min(o.refreshBefore, ttl / 2) : null)),
    )
  }

  // ---- cross-tab ------------------------------------------------------------------------
  const tabs = o.crossTab && browser ? connectTabs(name, o.crossTab, received) : null
  // Leading and trailing edge, at most one message a second: activity storms stay local.
  function shareActivity(at: number) {
    if (!tabs || sharing !== null) return
    const send = () => {
      sharing = null
      lastShared = now()
      tabs.post({ type: 'activity', at: presence.lastActivity() })
    }
    const wait = lastShared + 1_000 - at
    if (wait > 0) sharing = timers.setTimeout(send, wait)
    else send()
  }

  function received(m: TabMessage) {
    if (m.type == 'hello') {
      // A new tab is asking: every signed-in tab answers with what it has (the others
      // ignore a version they already hold).
      if (state.status == 'authenticated') {
        tabs!.post({ type: 'refreshed', credentials: creds! })
        tabs!.post({ type: 'activity', at: presence.lastActivity() })
      }
    } else if (m.type == 'activity') presence.activity(m.at)
    else if (m.type == 'stayActive') presence.stayActive(m.at)
    else if (m.type == 'refreshing') {
      clearRemote()
      // A tab that closes mid-refresh never says it stopped: forget it after a bound.
      if (m.active) remote = timers.setTimeout(() => ((remote = null), busy()), 2 * o.refreshTimeout)
      busy()
    } else if (m.type == 'signedOut') {
      // Revocation is a security event every tab should show as such; the rest is 'otherTab'.
      if (state.status != 'signedOut' && m.version > state.version) endLocally(m.reason == 'revoked' ? 'revoked' : 'otherTab', m.version, FORCED.includes(m.reason))
    } else if (m.credentials.version > state.version) adopt(m.credentials, m.type, 'otherTab')
  }

  /** Resolves true once state.version reaches `version`, false after `ms`. */
  function waitForVersion(version: number, ms: number): Promise<boolean> {
    let off = () => {}
    const reached = new Promise<boolean>((resolve) => {
      off = emitter.on('change', ([s]) => s.version >= version && resolve(true))
      if (state.version >= version) resolve(true)
    })
    return within(reached, ms, false, timers).finally(() => off())
  }

  // ---- refresh: single flight in the tab, one at a time across tabs ---------------------
  function refresh(): Promise<boolean> {
    return destroyed
      ? Promise.resolve(false)
      : (flight ??= runRefresh().finally(() => {
          flight = null
          busy()
          tabs?.post({ type: 'refreshing', active: false })
        }))
  }

  function runRefresh(): Promise<boolean> {
    const startVersion = state.version
    const requestedAt = now()
    set({ refreshing: true })
    tabs?.post({ type: 'refreshing', active: true })
    // The outcome is reported as soon as it is known; the lock may be held a little longer
    // (see refreshHoldingLock), so `done` resolves the flight, not the lock callback.
    return new Promise<boolean>((done) => {
      let ran = false
      const work = () => ((ran = true), refreshHoldingLock(startVersion, requestedAt, done))
      if (!tabs) return void work()
      tabs.lock.run(`${name}:refresh`, work, o.lockTimeout).catch((error) => {
        if (ran) return done(false)
        // Not granted: after lockTimeout (a live holder gives up after refreshTimeout, which is
        // shorter, so this one is frozen or gone), or the lock itself failed. Going on without
        // it is the safe choice, and is reported.
        if (error instanceof LockTimeoutError) emit('lockTimeout', { lock: error.lock, waitedMs: error.waitedMs })
        else report(error, 'refresh')
        work()
      })
    })
  }

  /** Another tab's result that arrived while this tab waited for the lock, if any. */
  async function resultOfOtherTab(startVersion: number, requestedAt: number): Promise<boolean | null> {
    if (state.version != startVersion) return state.status == 'authenticated'
    const marker = await tabs?.latest()
    // Versions are creation times, so a marker newer than our request is a change made
    // while we waited. Its broadcast may still be on its way: give it a moment.
    if (!marker || marker.version < requestedAt || marker.version <= startVersion) return null
    if (await waitForVersion(marker.version, bearer ? 2_000 : 500)) return state.status == 'authenticated'
    if (marker.kind == 'o') return endLocally('otherTab', marker.version, false), false
    // Cookie mode needs nothing secret from the other tab: the marker holds the deadlines.
    if (bearer || !(marker.expiresAt! > now())) return null
    adopt({ ...marker, user: state.user } as Credentials, 'refreshed', 'otherTab')
    return true
  }

  async function refreshHoldingLock(startVersion: number, requestedAt: number, done: (fresh: boolean) => void): Promise<void> {
    const other = destroyed ? false : await resultOfOtherTab(startVersion, requestedAt)
    if (other !== null) return done(other)
    const controller = new AbortController()
    const timer = timers.setTimeout(() => controller.abort(), o.refreshTimeout)
    // The built-in call is not aborted at the network level on timeout: if the server has
    // already rotated the refresh cookie, the reply must still reach the cookie jar, or the
    // next refresh would present a spent token and be treated as theft.
    const usable = (async () => {
      const result = await (o.refresh ? o.refresh({ signal: controller.signal }) : callRefreshEndpoint(o.fetch(), o.refreshUrl, now()))
      const problem = problemWith(result, bearer)
      if (problem) throw new TransientRefreshError(`malformed reply: ${problem}`)
      return result
    })()
    try {
      const result = await raceAbort(usable, controller.signal)
      if (!destroyed && state.version == startVersion) await accept(result, 'refreshed')
      done(state.status == 'authenticated')
    } catch (error) {
      if (!controller.signal.aborted) return done(failed(error))
      done(failed(new TransientRefreshError('timed out')))
      // Keep the lock while the late reply may still land (bounded), and use it if it does.
      const late = await within(usable, o.refreshTimeout, null, timers)
      if (late && !destroyed && state.status != 'signedOut') await accept(late, 'refreshed')
    } finally {
      timers.clearTimeout(timer)
    }
  }

  function failed(error: unknown): false {
    if (error instanceof SessionEndedError) {
      emit('refreshFailed', { error, transient: false, retryAt: null })
      if (state.status == 'authenticated') void forcedEnd(error.reason)
      else set({ status: 'signedOut' })
      return false
    }
    const transient = error instanceof TransientRefreshError ? error : new TransientRefreshError(String((error as Error)?.message ?? error))
    // Exponential backoff with jitter, capped; the server's Retry-After wins when given.
    const backoff = Math.min(o.retry.max, o.retry.base * 2 ** failures++) * (0.5 + Math.random() / 2)
    retryAt = now() + Math.min(o.retry.max, transient.retryAfter ?? backoff)
    report(transient, 'refresh')
    emit('refreshFailed', { error: transient, transient: true, retryAt })
    scheduleRefresh()
    return false
  }

  /** Takes a result from this tab's own refresh or sign-in, and tells the other tabs. */
  async function accept({ expiresIn, absoluteExpiresIn, accessToken, user }: RefreshResult, kind: Kind) {
    const at = now()
    const keep = kind == 'refreshed'
    const credentials: Credentials = {
      version: nextVersion(),
      expiresAt: at + expiresIn * 1000,
      absoluteExpiresAt: absoluteExpiresIn ? at + absoluteExpiresIn * 1000 : keep ? state.absoluteExpiresAt : null,
      user: user !== undefined ? user : keep ? state.user : null,
      accessToken: bearer ? accessToken : undefined,
    }
    adopt(credentials, kind, 'self')
    tabs?.post({ type: kind, credentials })
    // Held before the refresh lock is released, so the next holder sees it (see sync.ts).
    await tabs?.mark('r', credentials)
  }

  function adopt(c: Credentials, kind: Kind, source: 'self' | 'otherTab') {
    const resumed = state.status != 'authenticated'
    const user = c.user ?? null
    if (bearer && c.accessToken) token = c.accessToken
    creds = c
    ttl = c.expiresAt - now()
    failures = 0
    retryAt = null
    set({ status: 'authenticated', expiresAt: c.expiresAt, absoluteExpiresAt: c.absoluteExpiresAt, user, version: c.version, reason: null })
    presence.setAbsoluteExpiry(c.absoluteExpiresAt)
    if (resumed) presence.start()
    scheduleRefresh()
    if (resumed || kind == 'signedIn') {
      const id = identity(user)
      emit('signedIn', { user, userChanged: lastUser !== undefined && id !== lastUser, source })
      lastUser = id
    }
    if (kind == 'refreshed') emit('refreshed', { expiresAt: c.expiresAt, version: c.version, source })
  }

  // ---- ending the session ---------------------------------------------------------------
  /** Signs this tab out without asking the server. */
  function endLocally(reason: SignOutReason, version: number, saveReturnTo: boolean) {
    const saved = saveReturnTo ? returnTo.save() : null
    token = creds = retryAt = null
    failures = 0
    presence.stop()
    set({ status: 'signedOut', reason, version, expiresAt: null, absoluteExpiresAt: null, user: null, refreshing: false })
    scheduleRefresh()
    emit('signedOut', { reason, returnTo: saved })
  }

  async function endSession(reason: SignOutReason, everywhere: boolean, saveReturnTo: boolean) {
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {}
    const version = nextVersion()
    if (state.status != 'signedOut') {
      endLocally(reason, version, saveReturnTo)
      if (everywhere) {
        tabs?.post({ type: 'signedOut', reason, version })
        void tabs?.mark('o', { version })
      }
    }
    // The server is told after the tabs, so they stop using the session at once; a failed
    // logout call still leaves every tab signed out.
    try {
      await o.fetch()(o.logoutUrl, { method: 'POST', credentials: 'include', headers })
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
    if (state.status != 'authenticated') return
    const startVersion = state.version
    const hook = o.beforeSignOut
    if (hook) await within(Promise.resolve({ reason }).then(hook).catch((error) => report(error, 'beforeSignOut')), o.beforeSignOutTimeout, 0, timers)
    const end = async () => {
      if (state.status != 'authenticated' || state.version != startVersion) return
      const marker = await tabs?.latest()
      if (marker?.kind == 'o' && marker.version > startVersion) endLocally('otherTab', marker.version, true)
      else await endSession(reason, true, true)
    }
    await (tabs ? tabs.lock.run(`${name}:end`, end, o.lockTimeout).catch(end) : end())
  }

  // ---- wake-ups: timers may have slept -------------------------------------------------
  const check = () => {
    presence.check()
    refreshTimer.check()
  }
  if (browser)
    cleanup.push(
      listen(document, 'visibilitychange', () => document.visibilityState == 'visible' && check()),
      listen(window, 'focus', check),
      listen(window, 'pageshow', check),
      // Back online: retry a refresh that failed for network reasons now, not at its backoff.
      listen(window, 'online', () => retryAt !== null && void refresh()),
    )

  return {
    options: { name, credentials: o.credentials, loginUrl: o.loginUrl },
    getState: () => state,
    subscribe: (listener) => emitter.on('change', ([s, p]) => listener(s, p)),
    on: emitter.on,
    start() {
      return (started ??= (async () => {
        if (state.status == 'unknown' && tabs && (await tabs.othersAlive()) !== false) {
          tabs.post({ type: 'hello' })
          await waitForVersion(1, 300) // a live tab answers within milliseconds
        }
        if (state.status == 'unknown') await refresh()
        return state
      })())
    },
    fetch: createSessionFetch({ fetch: o.fetch, target, token: () => token, version: () => state.version, status: () => state.status, refresh, emit }),
    refresh,
    signIn(result) {
      const problem = problemWith(result, bearer)
      if (problem) throw new OptionError('signIn(result)', `a refresh result ({ expiresIn, accessToken?, ... }): ${problem}`, result)
      void accept(result, 'signedIn')
    },
    signOut: ({ reason = 'logout', everywhere = true, saveReturnTo } = {}) => endSession(reason, everywhere, saveReturnTo ?? FORCED.includes(reason)),
    stayActive() {
      const at = now()
      presence.stayActive(at)
      tabs?.post({ type: 'stayActive', at })
    },
    getRemainingTime: presence.remaining,
    saveReturnTo: (url) => void returnTo.save(url),
    consumeReturnTo: returnTo.consume,
    redirectToLogin: ({ returnTo: url } = {}) => returnTo.redirect(url),
    authorizationFor: (url) => (token && target(url) ? `Bearer ${token}` : null),
    isTrustedUrl: (url) => !!target(url),
    destroy() {
      if (destroyed) return
      destroyed = true
      cleanup.forEach((remove) => remove())
      presence.stop()
      refreshTimer.set(null)
      timers.clearTimeout(sharing)
      clearRemote()
      tabs?.close()
      emitter.clear()
    },
  }
}
