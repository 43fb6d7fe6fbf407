// Types of the ground floor: what the session needs from its environment. Imports nothing.

export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown
  clearTimeout: (id: any) => void
}

/** A message bus between the tabs of one origin (BroadcastChannel, or a part's fallback). */
export interface TabChannel {
  post(message: unknown): void
  subscribe(handler: (message: unknown) => void): () => void
  close(): void
}

/** An exclusive, cross-tab lock (Web Locks, or a part's fallback). */
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

/** What the refresh endpoint (or a custom `refresh` function, or a sign-in) returns. */
export interface RefreshResult<User = any> {
  /** Seconds until the access token / server session expires, counted from receipt. */
  expiresIn: number
  /** Bearer mode: the short-lived access token, kept in memory only. */
  accessToken?: string
  /**
   * An opaque secret for the next refresh (e.g. an OAuth refresh token). Kept in memory
   * only, handed to the next `refresh({ refreshToken })` in whichever tab holds the refresh
   * lock, shared with the origin's other tabs over BroadcastChannel only; never stored,
   * never in state, events, errors or logs.
   */
  refreshToken?: string
  /** Seconds until the hard cap of the session (cannot be extended). */
  absoluteExpiresIn?: number
  user?: User
}

/** What a custom `refresh` receives. */
export interface RefreshContext {
  /**
   * Aborted when the SDK stops waiting (`refreshTimeout`). Do NOT pass it to a request that
   * rotates a refresh token: an aborted request whose reply rotated the token loses the new
   * token. The SDK keeps the refresh lock and adopts a reply that lands late (bounded).
   */
  signal: AbortSignal
  /** The newest refresh token this origin's tabs know (from the last result or sign-in). */
  refreshToken: string | undefined
}
