// Public types of the core. Kept in one file so adapters and plug-ins depend on types only.

export type Status = 'unknown' | 'authenticated' | 'signedOut'
export type Presence = 'active' | 'warning' | 'idle'
export type SignOutReason = 'logout' | 'idle' | 'expired' | 'refreshFailed' | 'otherTab' | 'revoked'
export type WarningReason = 'idle' | 'absolute'

/** What the refresh endpoint (or a custom `refresh` function) returns. */
export interface RefreshResult {
  /** Seconds until the access token / server session expires, counted from receipt. */
  expiresIn: number
  /** Bearer mode: the short-lived access token, kept in memory only. */
  accessToken?: string
  /** Seconds until the hard cap of the session (cannot be extended). */
  absoluteExpiresIn?: number
  user?: unknown
}

/** The frozen snapshot returned by `getState()`; replaced, never mutated. */
export interface SessionState {
  readonly status: Status
  readonly presence: Presence
  readonly refreshing: boolean
  readonly expiresAt: number | null
  readonly idleAt: number | null
  readonly warnAt: number | null
  readonly absoluteExpiresAt: number | null
  readonly user: unknown
  readonly reason: SignOutReason | null
  readonly version: number
  /** The warning currently showing, if any (idle or absolute). */
  readonly warning: { readonly deadline: number; readonly reason: WarningReason } | null
}

export interface SessionEvents {
  refreshed: { expiresAt: number; version: number; source: 'self' | 'otherTab' }
  refreshFailed: { error: unknown; transient: boolean; retryAt: number | null }
  signedIn: { user: unknown; userChanged: boolean; source: 'self' | 'otherTab' }
  signedOut: { reason: SignOutReason; returnTo: string | null }
  warning: { deadline: number; reason: WarningReason }
  active: { at: number }
  idle: { at: number }
  expiring: { deadline: number }
  /** A 401'd request was not replayed (its body could not be sent again); the 401 is returned. */
  replaySkipped: { url: string; reason: 'unreplayableBody' }
  /** A cross-tab lock was not granted in time; the session fell back (see README). */
  lockTimeout: { lock: string; waitedMs: number }
  /** Something failed that the app may want to log (no secrets inside). */
  error: { error: unknown; during: 'refresh' | 'logout' | 'beforeSignOut' }
}
export type SessionEventName = keyof SessionEvents

export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown
  clearTimeout: (id: any) => void
}

export interface IdleOptions {
  /** ms without activity before the user is idle. */
  timeout: number
  /** ms before `timeout` at which the warning shows (must be < timeout). */
  warnBefore?: number
  /** DOM events counted as activity. */
  events?: readonly string[]
  /** Where activity listeners go (default: document). */
  target?: EventTarget
  /** Whether activity dismisses a showing warning (default false: only stayActive() does). */
  dismissOnActivity?: boolean
  /** 'signOut' (default) signs out with reason 'idle'; 'none' only reports. */
  onIdle?: 'signOut' | 'none'
}

/** A message bus between the tabs of one origin (BroadcastChannel or a fallback). */
export interface TabChannel {
  post(message: unknown): void
  subscribe(handler: (message: unknown) => void): () => void
  close(): void
}

/** An exclusive, cross-tab lock (Web Locks or a fallback). */
export interface TabLock {
  /**
   * Runs `fn` while holding `name`. Resolves with fn's result, or rejects with a
   * LockTimeoutError when the lock is not granted within `timeoutMs`.
   */
  run<T>(name: string, fn: () => Promise<T>, timeoutMs: number): Promise<T>
  /** Holds `name` until the returned release function is called; resolves once granted. */
  hold?(name: string): Promise<() => void>
  /** Names of locks currently held (by any tab), or null when unknown. */
  held?(): Promise<string[] | null>
}

export interface SessionOptions {
  refreshUrl?: string
  logoutUrl?: string
  loginUrl?: string
  /** Replaces the built-in refresh call. Throw a SessionEndedError to mean "the session is gone". */
  refresh?: (context: { signal: AbortSignal }) => Promise<RefreshResult>
  credentials?: 'cookie' | 'bearer'
  /** Extra origins (absolute, e.g. https://api.example.com) allowed to receive credentials. */
  tokenOrigins?: readonly string[]
  /** ms before expiresAt to refresh proactively (default 60_000). */
  refreshBefore?: number
  /** Namespace for channels, locks and storage keys (default 'session-continuity'). */
  name?: string
  fetch?: typeof fetch
  now?: () => number
  timers?: Timers
  idle?: IdleOptions | false
  /** ms before the absolute expiry at which `expiring` fires (default 60_000). */
  absoluteWarnBefore?: number
  /** Cross-tab sync (default true). Tests may inject the channel and lock. */
  crossTab?: boolean | { channel?: TabChannel | null; lock?: TabLock | null }
  returnTo?: { param?: string; storage?: 'session' | 'local' | 'none' }
  /** Runs before a forced sign-out (save drafts); bounded by beforeSignOutTimeout. */
  beforeSignOut?: (context: { reason: SignOutReason }) => unknown
  beforeSignOutTimeout?: number
  /** A refresh call taking longer than this is aborted (default 15_000 ms). */
  refreshTimeout?: number
  /** Longest wait for a cross-tab lock (default 10_000 ms). */
  lockTimeout?: number
  /** Backoff after a transient refresh failure: base and cap in ms (defaults 1_000 and 60_000). */
  retry?: { base?: number; max?: number }
}

export interface SignOutOptions {
  reason?: SignOutReason
  /** Also sign out the other tabs (default true). */
  everywhere?: boolean
  /** Save the current URL to come back to after login (default: only for forced sign-outs). */
  saveReturnTo?: boolean
}

export interface Session {
  getState(): SessionState
  subscribe(listener: (state: SessionState, previous: SessionState) => void): () => void
  on<E extends SessionEventName>(event: E, handler: (payload: SessionEvents[E]) => void): () => void
  /** Learns the current session (other tabs, then the refresh endpoint) and starts timers and listeners. */
  start(): Promise<SessionState>
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /** Refreshes now (joins a refresh already in flight). Resolves true when the session is fresh. */
  refresh(): Promise<boolean>
  signIn(result: RefreshResult): void
  signOut(options?: SignOutOptions): Promise<void>
  stayActive(): void
  getRemainingTime(): number
  saveReturnTo(url?: string): void
  consumeReturnTo(fallback?: string): string
  redirectToLogin(options?: { returnTo?: string }): void
  /** The bearer header value for `url` if it may receive it, else null (used by adapters). */
  authorizationFor(url: string): string | null
  /** Whether `url` may receive this session's credentials: same origin or a tokenOrigin. */
  isTrustedUrl(url: string): boolean
  destroy(): void
  readonly options: Readonly<{ name: string; credentials: 'cookie' | 'bearer'; loginUrl: string }>
}
