// Public types of the core. Adapters and parts depend on these types only.
import type { RefreshContext, RefreshResult, TabChannel, TabLock, Timers } from '../base/types.js'

export type { RefreshContext, RefreshResult, TabChannel, TabLock, Timers }

/**
 * 'unknown' before start() has learnt the session; 'signingOut' while a forced sign-out runs
 * its `beforeSignOut` hook (credentials still held, no refresh any more); then 'signedOut'.
 */
/**
 * Declare your user type once, for every session, hook and composable:
 *   declare module 'session-continuity' { interface Register { user: { id: string; name: string } } }
 */
export interface Register {}
/** The user type the app registered (`unknown` when it did not). */
export type RegisteredUser = Register extends { user: infer U } ? U : unknown

export type Status = 'unknown' | 'authenticated' | 'signingOut' | 'signedOut'
export type Presence = 'active' | 'warning' | 'idle'
/** Why the session ended: the same in every tab (`fromOtherTab` says where it happened). */
export type SignOutReason = 'logout' | 'idle' | 'expired' | 'refreshFailed' | 'revoked'
export type WarningReason = 'idle' | 'absolute'

/** What a custom `logout` receives. It runs in one tab per sign-out, bounded by `logoutTimeout`. */
export interface LogoutContext {
  reason: SignOutReason
  refreshToken: string | undefined
  accessToken: string | undefined
}

/** The frozen snapshot returned by `getState()`; replaced, never mutated. */
export interface SessionState<User = RegisteredUser> {
  readonly status: Status
  readonly presence: Presence
  readonly refreshing: boolean
  readonly expiresAt: number | null
  readonly idleAt: number | null
  readonly warnAt: number | null
  readonly absoluteExpiresAt: number | null
  readonly user: User | null
  readonly reason: SignOutReason | null
  /** The last sign-out happened in another tab of this origin (`reason` says why). */
  readonly fromOtherTab: boolean
  readonly version: number
  /** The warning currently showing, if any (idle or absolute; needs the idle part). */
  readonly warning: { readonly deadline: number; readonly reason: WarningReason } | null
  /**
   * True while a page restored from the back-forward cache (or resumed after a freeze)
   * re-checks its session with the other tabs: hide sensitive UI until it is false.
   */
  readonly stale: boolean
}

export interface SessionEvents<User = RegisteredUser> {
  refreshed: { expiresAt: number; version: number; source: 'self' | 'otherTab' }
  refreshFailed: { error: unknown; transient: boolean; retryAt: number | null }
  signedIn: { user: User | null; userChanged: boolean; source: 'self' | 'otherTab' }
  signedOut: { reason: SignOutReason; fromOtherTab: boolean; returnTo: string | null }
  /** The idle part: the pre-timeout (or absolute-expiry) warning starts. */
  warning: { deadline: number; reason: WarningReason }
  active: { at: number }
  idle: { at: number }
  expiring: { deadline: number }
  /** A 401'd request was not replayed; the 401 is returned as it is. */
  replaySkipped: { url: string; reason: 'unreplayableBody' | 'notReplayable' }
  /** A cross-tab lock was not granted in time; the session went on without it. */
  lockTimeout: { lock: string; waitedMs: number }
  /** A restored (back-forward cache) or resumed page finished re-checking its session. */
  resumed: { status: Status }
  /** Something failed that the app may want to log (no secrets inside). */
  error: { error: unknown; during: 'refresh' | 'logout' | 'beforeSignOut' }
}
export type SessionEventName = keyof SessionEvents

/** What `session.fetch` accepts on top of RequestInit. */
export interface SessionRequestInit extends RequestInit {
  /** false: a 401 comes back as it is (no refresh-and-replay for this request). */
  replay?: boolean
}

export interface SessionOptions<User = RegisteredUser> {
  /** POSTed with cookies to refresh (default '/auth/refresh'). */
  refreshUrl?: string
  /** POSTed on sign-out (default '/auth/logout'); local sign-out happens whatever it answers. */
  logoutUrl?: string
  /** Where the returnTo part's redirectToLogin() goes (default '/login'). */
  loginUrl?: string
  /** Replaces the built-in refresh call. Throw a SessionEndedError to mean "the session is gone". */
  refresh?: (context: RefreshContext) => Promise<RefreshResult<User>>
  /** Replaces POSTing logoutUrl (revoke at the identity provider, end-session redirect). */
  logout?: (context: LogoutContext) => unknown
  /** 'cookie' (default: an HttpOnly cookie, no secret in JS) or 'bearer' (an access token in memory). */
  credentials?: 'cookie' | 'bearer'
  /** Extra origins (absolute, e.g. https://api.example.com) allowed to receive credentials. */
  tokenOrigins?: readonly string[]
  /** Which 401'd requests are refreshed and replayed (default: all; a request's `replay` wins). */
  replay?: (request: { url: string; method: string }) => boolean
  /** ms before expiresAt to refresh proactively while the user is active (default 60_000). */
  refreshBefore?: number
  /** Namespace for channels, locks and storage keys (default 'session-continuity'). */
  name?: string
  fetch?: typeof fetch
  now?: () => number
  timers?: Timers
  /** Cross-tab sync (default true). Tests may inject the channel and lock. */
  crossTab?: boolean | { channel?: TabChannel | null; lock?: TabLock | null }
  /** Runs before a forced sign-out (save drafts); bounded by beforeSignOutTimeout. */
  beforeSignOut?: (context: { reason: SignOutReason }) => unknown
  /** Longest wait for beforeSignOut, in ms (default 3_000). */
  beforeSignOutTimeout?: number
  /** Longest wait for the logout call (built-in or custom), in ms (default 3_000). */
  logoutTimeout?: number
  /**
   * The SDK stops waiting for a refresh after this many ms (default 10_000) and counts it as a
   * transient failure. The request itself is not aborted: a late reply is still adopted.
   */
  refreshTimeout?: number
  /** Longest wait for the cross-tab refresh lock, in ms (default 20_000); then it goes on without it. */
  lockTimeout?: number
  /** Backoff after a transient refresh failure: base and cap in ms (defaults 1_000 and 60_000). */
  retry?: { base?: number; max?: number }
  /** Parts that add features: `[idle({ timeout }), returnTo()]`. */
  use?: readonly Part<any>[]
}

export interface SignOutOptions {
  reason?: SignOutReason
  /** Also sign out the other tabs (default true). */
  everywhere?: boolean
  /** With the returnTo() part: save the current URL to come back to (default: only for forced sign-outs). */
  saveReturnTo?: boolean
}

export interface Session<User = RegisteredUser> {
  getState(): SessionState<User>
  subscribe(listener: (state: SessionState<User>, previous: SessionState<User>) => void): () => void
  on<E extends SessionEventName>(event: E, handler: (payload: SessionEvents<User>[E]) => void): () => void
  /** Learns the current session (other tabs, then the refresh endpoint) and starts timers and listeners. */
  start(): Promise<SessionState<User>>
  fetch(input: RequestInfo | URL, init?: SessionRequestInit): Promise<Response>
  /** Refreshes now (joins a refresh already in flight). Resolves true when the session is fresh. */
  refresh(): Promise<boolean>
  signIn(result: RefreshResult<User>): void
  signOut(options?: SignOutOptions): Promise<void>
  /** The bearer header value for `url` if it may receive it, else null (used by adapters). */
  authorizationFor(url: string): string | null
  /** Whether `url` may receive this session's credentials: same origin or a tokenOrigin. */
  isTrustedUrl(url: string): boolean
  /** The session's clock (the `now` option): countdowns should read it, not Date.now(). */
  now(): number
  destroy(): void
  /** What adapters read: `replay` is the session's replay rule (the ky hooks apply it too). */
  readonly options: Readonly<{ name: string; credentials: 'cookie' | 'bearer'; loginUrl: string; replay?: (request: { url: string; method: string }) => boolean }>
}

// ---- the part interface -------------------------------------------------------------------

/** Events parts see besides the public ones. */
export interface PartEvents<User = RegisteredUser> extends SessionEvents<User> {
  change: [SessionState<User>, SessionState<User>]
  /** The tab may have slept (visible again, focus, pageshow): re-check deadlines against now(). */
  wake: undefined
  /** A tab that just opened asked: answer with what the part shares (the core sends the credentials). */
  hello: undefined
  /** Just before `signedOut` is emitted; a part may fill in `returnTo` (`save`: forced, or asked for). */
  ending: { reason: SignOutReason; fromOtherTab: boolean; save: boolean; returnTo: string | null }
  /** A decision the session took, for diagnostics (never a secret or user data). */
  trace: TraceEntry
  /** The session is being destroyed: remove listeners and timers. */
  destroy: undefined
}

/** One decision of the session, as the diagnostics part records it. */
export interface TraceEntry {
  what: string
  [detail: string]: string | number | boolean | null
}

export interface PartContext<User = RegisteredUser> {
  readonly name: string
  /** Whether the session talks to other tabs (post and receive do nothing when false). */
  readonly crossTab: boolean
  /** This tab's id: the `from` of every message it sends (null without cross-tab). */
  readonly tab: string | null
  readonly loginUrl: string
  readonly timers: Timers
  now(): number
  getState(): SessionState<User>
  /** Patches state fields the part owns (e.g. presence, idleAt, warnAt, warning). */
  set(patch: Partial<SessionState<User>>): void
  on<E extends keyof PartEvents<User>>(event: E, handler: (payload: PartEvents<User>[E]) => void): () => void
  emit<E extends keyof PartEvents<User>>(event: E, payload: PartEvents<User>[E]): void
  /** A forced sign-out for the whole origin (beforeSignOut, one server call, every tab told). */
  end(reason: 'idle' | 'expired'): void
  /** Sends `{ type, ...fields }` to the other tabs (nothing without cross-tab). */
  post(type: string, fields?: object): void
  /**
   * Receives messages of `type` from other tabs, validated against `shape` (fields as
   * `name:kind`, kinds t a time, n a time or null, b a boolean; a trailing ? for optional).
   */
  receive(type: string, shape: string, handler: (message: any) => void): void
}

/**
 * A feature the app passes in `use`. It may wrap the cross-tab transport (channel, lock)
 * before the session connects, and observe the session and contribute methods in `setup`.
 */
export interface Part<Methods extends object = {}> {
  /** Replaces or wraps the channel between tabs (null: there is none). */
  channel?(inner: TabChannel | null, name: string): TabChannel | null
  /** Replaces or wraps the cross-tab lock (null: no Web Locks in this browser). */
  lock?(inner: TabLock | null): TabLock | null
  /** Called once, in `use` order, after the core is wired; the methods are merged into the session. */
  setup?(context: PartContext<any>): Methods | void
}

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never
/** The methods a list of parts contributes, merged. */
type MethodsOf<P> = P extends Part<infer M> ? (unknown extends M ? {} : M) : never
export type PartMethods<Parts extends readonly Part<any>[]> = [Parts[number]] extends [never] ? {} : UnionToIntersection<MethodsOf<Parts[number]>>
