// The session's refresh: one flight per tab, one holder of the refresh lock per origin,
// the proactive timer, and the backoff after transient failures. A tab granted the lock
// after another refreshed uses that result (version, then marker) instead of refreshing.
import { raceAbort, within } from '../base/abort.js'
import { createDeadline } from '../base/clock.js'
import { LockTimeoutError, SessionEndedError, TransientRefreshError } from '../base/errors.js'
import { callRefreshEndpoint } from '../http/refresh-call.js'
import { problemWith } from '../http/result.js'
import type { Options } from './options.js'
import type { Credentials } from './tabs/protocol.js'
import { holdOrGoOn } from './tabs/lock.js'
import type { Tabs } from './tabs/sync.js'
import type { PartEvents, RefreshResult, SessionState, SignOutReason } from './types.js'

export type Kind = 'refreshed' | 'signedIn'
/** Why a refresh started (diagnostics). */
export type Why = '401' | 'proactive' | 'retry' | 'wake' | 'start' | 'manual' | 'online'

export interface RefresherDeps {
  o: Options
  tabs: Tabs | null
  bearer: boolean
  getState(): SessionState
  set(patch: Partial<SessionState>): void
  emit<E extends keyof PartEvents>(event: E, payload: PartEvents[E]): void
  /** Resolves true once `done()` holds (checked on every state change), false after `ms`. */
  until(done: () => boolean, ms: number): Promise<boolean>
  /** until() the state's version reaches `version`. */
  reach(version: number, ms: number): Promise<boolean>
  secret(): string | undefined
  accept(result: RefreshResult, kind: Kind): Promise<void>
  /** Adopts deadlines a marker names (cookie mode: nothing secret is needed). */
  adopt(c: Credentials): void
  endLocally(reason: SignOutReason, version: number, fromOtherTab: boolean): void
  forcedEnd(reason: SignOutReason): void
  report(error: unknown, during: 'refresh'): void
}

export function createRefresher(d: RefresherDeps) {
  const { o, tabs, getState, emit } = d
  const { now, timers, name } = o
  let flight: Promise<boolean> | null = null
  let failures = 0
  let retryAt: number | null = null
  let ttl = 0 // lifetime of the current credentials, for the proactive refresh lead
  let remote: unknown = null // timer while another tab says it is refreshing
  let waking = false
  let alone: Promise<void> = Promise.resolve()
  let destroyed = false

  const busy = () => d.set({ refreshing: !!flight || remote !== null })
  const clearRemote = () => {
    timers.clearTimeout(remote)
    remote = null
  }
  const timer = createDeadline(now, timers, () => void refresh(waking ? 'wake' : retryAt ? 'retry' : 'proactive'))
  function schedule() {
    const s = getState()
    // No proactive refresh while warning or idle: the server's own idle timeout may run.
    timer.set(destroyed || s.status == 'signedOut' ? null : (retryAt ?? (s.status == 'authenticated' && s.presence == 'active' ? s.expiresAt! - Math.min(o.refreshBefore, ttl / 2) : null)))
  }

  function refresh(why: Why): Promise<boolean> {
    if (destroyed || getState().status == 'signingOut') return Promise.resolve(false)
    if (!flight) {
      // `flight` is set before run() announces `refreshing: true`: a listener that calls
      // session.fetch on that change must find the flight to wait for.
      let settle!: (outcome: Promise<boolean>) => void
      flight = new Promise<boolean>((resolve) => (settle = resolve)).finally(() => {
        flight = null
        busy()
        tabs?.post('refreshing', { active: false })
      })
      settle(run(why))
    }
    return flight
  }

  function run(why: Why): Promise<boolean> {
    const startVersion = getState().version
    d.set({ refreshing: true })
    emit('trace', { what: 'refresh', why })
    tabs?.post('refreshing', { active: true })
    // The outcome is reported as soon as it is known; the lock may be held a little longer
    // (see holdingLock), so `done` resolves the flight, not the lock callback.
    return new Promise<boolean>((done) => {
      const work = () => holdingLock(startVersion, done)
      // Without tabs, a chain stands in for the lock: a late reply may still land (holdingLock
      // waits for it), and the next refresh must not present the token that reply rotates.
      if (!tabs) return void (alone = alone.then(work))
      // A live holder gives up after refreshTimeout, shorter than lockTimeout: one that keeps
      // the lock longer is frozen or gone.
      holdOrGoOn(tabs.lock, `${name}:refresh`, work, o.lockTimeout, lockFailed).catch(() => done(false))
    })
  }

  /** Reports a lock not granted: `lockTimeout` for a timeout, `error` for a lock that failed. */
  function lockFailed(error: unknown) {
    if (error instanceof LockTimeoutError) emit('lockTimeout', { lock: error.lock, waitedMs: error.waitedMs })
    else d.report(error, 'refresh')
  }

  /** Another tab's result that arrived while this tab waited for the lock, if any. */
  async function otherTabsResult(startVersion: number): Promise<boolean | null> {
    const authenticated = () => getState().status == 'authenticated'
    if (getState().version != startVersion) return authenticated()
    const marker = await tabs?.latest()
    // A marker newer than the credentials this refresh started from is a change this tab has
    // not heard of yet (the lock grant can overtake the broadcast): give the message a moment.
    if (!marker || marker.version <= startVersion) return null
    const secretive = d.bearer || d.secret() !== undefined
    if (await d.reach(marker.version, secretive ? 2_000 : 500)) return authenticated()
    if (marker.kind == 'o') return d.endLocally(marker.reason!, marker.version, true), false
    if (d.secret() !== undefined) {
      // The refresh token was rotated by another tab and its broadcast is lost: ask again.
      // Presenting our spent one would look like theft to the identity provider.
      tabs!.post('hello')
      if (await d.reach(marker.version, 2_000)) return authenticated()
      return failed(new TransientRefreshError('the rotated refresh token did not arrive'))
    }
    // Cookie mode needs nothing secret from the other tab: the marker holds the deadlines.
    if (d.bearer || !(marker.expiresAt! > now())) return null
    emit('trace', { what: 'markerUsed', version: marker.version })
    d.adopt({ version: marker.version, expiresAt: marker.expiresAt!, absoluteExpiresAt: marker.absoluteExpiresAt })
    return true
  }

  async function holdingLock(startVersion: number, done: (fresh: boolean) => void): Promise<void> {
    const other = destroyed ? false : await otherTabsResult(startVersion)
    if (other !== null) return done(other)
    // '' is a secret a channel could not carry (the storage fallback): presenting nothing would
    // look like theft to the identity provider and end the session everywhere.
    if (d.secret() === '') return done(failed(new TransientRefreshError('the refresh token is in the tab that signed in')))
    const controller = new AbortController()
    const abort = timers.setTimeout(() => controller.abort(), o.refreshTimeout)
    // The call is not aborted at the network level on timeout: if the server has already
    // rotated the refresh token (cookie or secret), the reply must still land, or the next
    // refresh would present a spent token and be treated as theft.
    const usable = (async () => {
      const result = await (o.refresh ? o.refresh({ signal: controller.signal, refreshToken: d.secret() }) : callRefreshEndpoint(o.fetch(), o.refreshUrl, now()))
      const problem = problemWith(result, d.bearer)
      if (problem) throw new TransientRefreshError(`malformed reply: ${problem}`)
      return result
    })()
    // A result is for the credentials this refresh started from: not after a sign-in, a
    // sign-out, a forced sign-out that is under way ('signingOut'), or destroy().
    const current = () => !destroyed && getState().version == startVersion && /^(authenticated|unknown)$/.test(getState().status)
    try {
      const result = await raceAbort(usable, controller.signal)
      if (current()) await d.accept(result, 'refreshed')
      done(!destroyed && getState().status == 'authenticated')
    } catch (error) {
      if (!controller.signal.aborted) return done(current() ? failed(error) : !destroyed && getState().status == 'authenticated')
      done(failed(new TransientRefreshError('timed out')))
      // Keep the lock while the late reply may still land (bounded), and use it if it does.
      const late = await within(usable, o.refreshTimeout, null, timers)
      if (late && current()) await d.accept(late, 'refreshed')
    } finally {
      timers.clearTimeout(abort)
    }
  }

  function failed(error: unknown): false {
    // Nothing to retry or end for a session that is gone (signed out, or destroyed meanwhile).
    if (destroyed || getState().status == 'signedOut') return false
    if (error instanceof SessionEndedError) {
      emit('refreshFailed', { error, transient: false, retryAt: null })
      if (getState().status == 'authenticated') d.forcedEnd(error.reason)
      else d.set({ status: 'signedOut' })
      return false
    }
    const transient = error instanceof TransientRefreshError ? error : new TransientRefreshError(String((error as Error)?.message ?? error))
    // Exponential backoff with jitter, capped; the server's Retry-After wins when given.
    const backoff = Math.min(o.retry.max, o.retry.base * 2 ** failures++) * (0.5 + Math.random() / 2)
    // A Retry-After under retry.base counts as retry.base: `Retry-After: 0` would make the retry
    // fire at once and join this very flight, leaving no retry at all.
    const after = transient.retryAfter
    retryAt = now() + Math.min(o.retry.max, after === null ? backoff : Math.max(o.retry.base, after))
    d.report(transient, 'refresh')
    emit('refreshFailed', { error: transient, transient: true, retryAt })
    schedule()
    return false
  }

  return {
    refresh,
    schedule,
    lockFailed,
    /** Another tab started or finished a refresh. */
    remote(active: boolean) {
      clearRemote()
      // A tab that closes mid-refresh never says it stopped: forget it after a bound.
      if (active) remote = timers.setTimeout(() => ((remote = null), busy()), 2 * o.refreshTimeout)
      busy()
    },
    /** A refresh known to be in progress here or in another tab, bounded by refreshTimeout; else null. */
    pending: (): Promise<unknown> | null =>
      flight ? within(flight, o.refreshTimeout, false, timers) : remote !== null ? d.until(() => remote === null, o.refreshTimeout) : null,
    adopted(lifetime: number) {
      ttl = lifetime
      failures = 0
      retryAt = null
      schedule()
    },
    reset() {
      failures = 0
      retryAt = null
      schedule()
    },
    check() {
      waking = true
      timer.check()
      waking = false
    },
    online: () => retryAt !== null && void refresh('online'),
    destroy() {
      destroyed = true
      timer.set(null)
      clearRemote()
    },
  }
}
