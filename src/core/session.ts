// createSession: the state, the single-flight refresh (one at a time across tabs), sign-in and
// sign-out reaching every tab, and the part interface. It knows no feature (idle, return-to...).
import { within } from '../base/abort.js'
import { createDeadline } from '../base/clock.js'
import { createEmitter } from '../base/emitter.js'
import { DEV } from '../base/dev.js'
import { OptionError } from '../base/errors.js'
import { inOrder } from '../base/in-order.js'
import { listen } from '../base/listen.js'
import { createSessionFetch } from '../http/fetch.js'
import { createOriginCheck } from '../http/origin.js'
import { problemWith, withoutTokens } from '../http/result.js'
import { normalizeOptions } from './options.js'
import { createRefresher, type Kind } from './refresh.js'
import { identity, initialState, nextState } from './state.js'
import { createBroadcastChannel } from './tabs/channel.js'
import { createWebLock, holdOrGoOn } from './tabs/lock.js'
import { CORE_SHAPES, type Credentials, type TabMessage } from './tabs/protocol.js'
import { connectTabs } from './tabs/sync.js'
import type { Part, PartContext, RegisteredUser, PartEvents, PartMethods, RefreshResult, Session, SessionOptions, SessionState, SignOutReason } from './types.js'

export function createSession<User = RegisteredUser, const Parts extends readonly Part<any>[] = []>(
  options?: SessionOptions<User> & { use?: Parts },
): Session<User> & PartMethods<Parts> {
  const o = normalizeOptions(options)
  const { now, timers, name, use } = o
  const bearer = o.credentials == 'bearer'
  const browser = typeof window != 'undefined' && typeof document != 'undefined'
  const emitter = createEmitter<PartEvents>()
  const { emit, on } = emitter
  const target = createOriginCheck(o.tokenOrigins)

  let state = initialState
  let token: string | null = null // bearer mode only; memory only, never stored
  let secret: string | undefined // the refresh token for a custom refresh; memory only
  let creds: Credentials | null = null // the credentials adopted last (what a new tab is told)
  let lastUser: unknown // identity of the last signed-in user (undefined: none yet)
  let started: Promise<SessionState> | undefined
  let destroyed = false
  const cleanup: Array<() => void> = []

  // A change a `change` listener makes is delivered after the one under way (see inOrder).
  const deliver = inOrder((change: [SessionState, SessionState]) => emit('change', change))
  const set = (patch: Partial<SessionState>) => {
    const previous = state
    state = nextState(state, patch)
    if (state == previous) return
    // Warning or idle pauses the proactive refresh; coming back resumes it (now, if due).
    if (state.presence != previous.presence) refresher.schedule()
    deliver([state, previous])
  }
  const nextVersion = () => Math.max(state.version + 1, now())
  const report = (error: unknown, during: PartEvents['error']['during']) => emit('error', { error, during })
  /** Runs an app's callback; what it throws (or rejects with) is reported, never thrown. */
  const bounded = <C,>(context: C, fn: (context: C) => unknown, during: 'logout' | 'beforeSignOut') => Promise.resolve(context).then(fn).catch((error) => report(error, during))
  /** Resolves true once `done()` holds, false after `ms`. */
  function until(done: () => boolean, ms: number): Promise<boolean> {
    let off = () => {}
    const reached = new Promise<boolean>((resolve) => {
      off = on('change', () => done() && resolve(true))
      if (done()) resolve(true)
    })
    return within(reached, ms, false, timers).finally(() => off())
  }
  const reach = (version: number, ms: number) => until(() => state.version >= version, ms)

  // ---- cross-tab: the channel and lock, as the parts wrap them ---------------------------
  const shapes = { ...CORE_SHAPES }
  const handlers: Record<string, (m: any) => void> = {}
  const injected = o.crossTab
  // A channel passed in is used anywhere (tests under Node); the browser's only in a page.
  const wired = injected && (browser || injected.channel !== undefined)
  let channel = wired ? (injected.channel !== undefined ? injected.channel : createBroadcastChannel(name)) : null
  let lock = injected?.lock ?? createWebLock()
  for (const part of use) {
    if (wired && part.channel) channel = part.channel(channel, name)
    if (part.lock) lock = part.lock(lock)
  }
  // The session closes the channel it (or a part) opened: any but one the app passed in.
  const tabs = connectTabs(name, channel, lock, shapes, received, !injected?.channel)

  function received(m: TabMessage & Record<string, any>) {
    if (m.type == 'hello') {
      // A new tab is asking: every signed-in tab answers with what it has (the others
      // ignore a version they already hold), and the parts add theirs.
      if (state.status == 'authenticated') tabs!.post('refreshed', { credentials: creds }), emit('hello', undefined)
    } else if (m.type == 'refreshing') refresher.remote(m.active)
    else if (m.type == 'signedOut') {
      if (state.status != 'signedOut' && m.version > state.version) endLocally(m.reason, m.version, true)
    } else if (m.credentials) {
      if (m.credentials.version > state.version) adopt(m.credentials, m.type as Kind, 'otherTab')
    } else handlers[m.type]?.(m)
  }

  // ---- refresh --------------------------------------------------------------------------
  const refresher = createRefresher({
    o,
    tabs,
    bearer,
    getState: () => state,
    set,
    emit,
    until,
    reach,
    secret: () => secret,
    accept,
    adopt: (c) => adopt({ ...c, user: state.user }, 'refreshed', 'otherTab'),
    endLocally,
    forcedEnd: (reason) => void forcedEnd(reason),
    report,
  })
  const { refresh } = refresher

  /** Takes a result from this tab's own refresh or sign-in, and tells the other tabs. */
  async function accept({ expiresIn, absoluteExpiresIn, accessToken, refreshToken, user }: RefreshResult, kind: Kind) {
    const at = now()
    const keep = kind == 'refreshed'
    const credentials: Credentials = {
      version: nextVersion(),
      expiresAt: at + expiresIn * 1000,
      absoluteExpiresAt: absoluteExpiresIn ? at + absoluteExpiresIn * 1000 : keep ? state.absoluteExpiresAt : null,
      user: user !== undefined ? user : keep ? state.user : null,
      accessToken: bearer ? accessToken : undefined,
      // An identity provider that does not rotate sends no new token: the current one stays valid.
      refreshToken: refreshToken ?? (keep ? secret : undefined),
    }
    adopt(credentials, kind, 'self')
    tabs?.post(kind, { credentials })
    // Held before the refresh lock is released, so the next holder sees it (see sync.ts).
    await tabs?.mark('r', credentials)
  }

  function adopt(c: Credentials, kind: Kind, source: 'self' | 'otherTab') {
    const resumed = state.status != 'authenticated'
    const user = c.user ?? null
    if (bearer && c.accessToken) token = c.accessToken
    // Credentials from another tab replace the secret too: a tab never keeps a rotated one.
    secret = c.refreshToken
    creds = c
    set({ status: 'authenticated', expiresAt: c.expiresAt, absoluteExpiresAt: c.absoluteExpiresAt, user, version: c.version, reason: null, fromOtherTab: false })
    refresher.adopted(c.expiresAt - now())
    absolute.set(c.absoluteExpiresAt)
    if (resumed || kind == 'signedIn') {
      const id = identity(user)
      emit('signedIn', { user, userChanged: lastUser !== undefined && id !== lastUser, source })
      lastUser = id
    }
    if (kind == 'refreshed') emit('refreshed', { expiresAt: c.expiresAt, version: c.version, source })
  }

  // ---- ending the session ---------------------------------------------------------------
  // The hard cap the server set: nothing extends it, and the session ends there.
  const absolute = createDeadline(now, timers, () => void forcedEnd('expired'))

  /** Signs this tab out without asking the server. */
  function endLocally(reason: SignOutReason, version: number, fromOtherTab: boolean, save = reason != 'logout') {
    token = creds = null
    secret = undefined
    absolute.set(null)
    refresher.reset()
    set({ status: 'signedOut', reason, fromOtherTab, version, expiresAt: null, absoluteExpiresAt: null, user: null, refreshing: false })
    const ending = { reason, fromOtherTab, save, returnTo: null }
    emit('ending', ending)
    emit('signedOut', { reason, fromOtherTab, returnTo: ending.returnTo })
  }

  async function endSession(reason: SignOutReason, everywhere: boolean, save?: boolean) {
    const context = { reason, refreshToken: secret || undefined, accessToken: token ?? undefined }
    const headers: Record<string, string> = token && target(o.logoutUrl) ? { Authorization: `Bearer ${token}` } : {}
    const version = nextVersion()
    // Already signed out (a second signOut(), or another tab's): that sign-out told the server.
    if (state.status == 'signedOut') return
    endLocally(reason, version, false, save)
    if (everywhere && tabs) {
      tabs.post('signedOut', { reason, version })
      // Held before the end lock is released: a tab granted it next sees the sign-out
      // even when the broadcast is still on its way (the lock grant can overtake it).
      await tabs.mark('o', { version, reason })
    }
    // The server is told after the tabs, so they stop using the session at once; a failed
    // or slow logout call still leaves every tab signed out.
    const call = o.logout ?? (() => o.fetch()(o.logoutUrl, { method: 'POST', credentials: 'include', headers }))
    await within(bounded(context, call, 'logout'), o.logoutTimeout, 0, timers)
  }

  /**
   * A sign-out the user did not ask for: 'signingOut' while drafts are saved (bounded), then
   * once for the whole origin. Tabs reach an idle deadline together; the end lock lets one of
   * them talk to the server while the rest learn of it by message or marker.
   */
  async function forcedEnd(reason: SignOutReason) {
    if (destroyed || state.status != 'authenticated') return
    const startVersion = state.version
    set({ status: 'signingOut', reason })
    if (o.beforeSignOut) await within(bounded({ reason }, o.beforeSignOut, 'beforeSignOut'), o.beforeSignOutTimeout, 0, timers)
    const end = async () => {
      if (state.status != 'signingOut' || state.version != startVersion) return
      const marker = await tabs?.latest()
      if (marker?.kind == 'o' && marker.version > startVersion) endLocally(marker.reason!, marker.version, true)
      else await endSession(reason, true)
    }
    await (tabs ? holdOrGoOn(tabs.lock, `${name}:end`, end, o.lockTimeout, refresher.lockFailed) : end())
  }

  // ---- wake-ups and restores: timers may have slept, the page may have been frozen -------
  const check = () => (refresher.check(), absolute.check(), emit('wake', undefined))
  // A page back from the back-forward cache (or a freeze) asks before acting on old state;
  // one re-check at a time: a restore can bring both `pageshow` and `resume`.
  let resuming: Promise<void> | null = null
  const resume = () => (resuming ??= recheck().finally(() => (resuming = null)))
  async function recheck() {
    if (state.status != 'authenticated' || !tabs) return check()
    set({ stale: true })
    tabs.post('hello')
    const marker = await tabs.latest()
    if (marker && marker.version > state.version) {
      if (marker.kind == 'o') endLocally(marker.reason!, marker.version, true)
      else await reach(marker.version, 2_000)
    }
    check()
    set({ stale: false })
    emit('resumed', { status: state.status })
  }
  if (browser)
    cleanup.push(
      listen(document, 'visibilitychange', () => document.visibilityState == 'visible' && check()),
      listen(window, 'focus', check),
      listen(window, 'pageshow', ((e: PageTransitionEvent) => (e.persisted ? void resume() : check())) as () => void),
      listen(document, 'resume', () => void resume()),
      // Back online: retry a refresh that failed for network reasons now, not at its backoff.
      listen(window, 'online', refresher.online),
    )

  // A relative refreshUrl with no page to resolve it against (SSR, Node) and the global fetch
  // cannot work: such a session stays 'unknown' and keeps no timer alive.
  const runnable = o.refresh || options!.fetch || typeof location != 'undefined' || /^https?:/.test(o.refreshUrl)

  const session: Session<any> = {
    options: { name, credentials: o.credentials, loginUrl: o.loginUrl, replay: o.replay },
    getState: () => state,
    subscribe: (listener) => on('change', ([s, p]) => listener(s, p)),
    on: on as Session['on'],
    now,
    start() {
      return (started ??= (async () => {
        if (!runnable) return state
        if (state.status == 'unknown' && tabs && (await tabs.othersAlive()) !== false) {
          tabs.post('hello')
          await reach(1, 300) // a live tab answers within milliseconds
        }
        if (state.status == 'unknown') await refresh('start')
        return state
      })())
    },
    fetch: createSessionFetch({
      fetch: o.fetch,
      target,
      token: () => token,
      cookies: () => !bearer,
      version: () => state.version,
      live: () => state.status == 'authenticated' || state.status == 'unknown',
      pending: refresher.pending,
      refresh: () => refresh('401'),
      replay: o.replay,
      skipped: (url, reason) => emit('replaySkipped', { url, reason }),
    }),
    refresh: () => refresh('manual'),
    signIn(result) {
      const problem = problemWith(result, bearer)
      if (problem) throw new OptionError('signIn(result)', DEV ? `a refresh result ({ expiresIn, accessToken?, ... }): ${problem}` : problem, withoutTokens(result))
      void accept(result, 'signedIn')
    },
    signOut: ({ reason = 'logout', everywhere = true, saveReturnTo } = {}) => endSession(reason, everywhere, saveReturnTo),
    authorizationFor: (url) => (token && target(url) ? `Bearer ${token}` : null),
    isTrustedUrl: (url) => !!target(url),
    destroy() {
      if (destroyed) return
      destroyed = true
      cleanup.forEach((remove) => remove())
      refresher.destroy()
      absolute.set(null)
      emit('destroy', undefined)
      tabs?.close()
      emitter.clear()
    },
  }
  // What a part may see and do (docs/ARCHITECTURE.md, "The part interface").
  const context: PartContext = {
    ...{ name, crossTab: !!tabs, tab: tabs?.id ?? null, loginUrl: o.loginUrl, timers, now, set, on, emit },
    getState: () => state,
    end: (reason) => void forcedEnd(reason),
    post: (type, fields) => tabs?.post(type, fields),
    receive(type, shape, handler) {
      shapes[type] = shape
      handlers[type] = handler
    },
  }
  for (const part of use) Object.assign(session, part.setup?.(context))
  return session as Session<User> & PartMethods<Parts>
}
