// Public entry: re-exports only. Importing this module has no side effects (SSR-safe).
export { createSession } from './core/session.js'
export { SessionError, OptionError, SessionEndedError, TransientRefreshError, LockTimeoutError } from './core/errors.js'
export { toSafeReturnTo } from './navigation/safe-url.js'
export type {
  Session,
  SessionOptions,
  SessionState,
  SessionEvents,
  SessionEventName,
  RefreshResult,
  SignOutOptions,
  SignOutReason,
  Status,
  Presence,
  WarningReason,
  IdleOptions,
  Timers,
  TabChannel,
  TabLock,
} from './core/types.js'
