// Public entry: the core and every part, re-exported. Importing this module has no side
// effects (SSR-safe), and a part the app does not use is dropped by its bundler.
export { createSession } from './core/session.js'
export { SessionError, OptionError, SessionEndedError, TransientRefreshError, LockTimeoutError } from './base/errors.js'
export { idle, type IdleOptions, type IdleMethods } from './parts/idle/index.js'
export { returnTo, toSafeReturnTo, type ReturnToOptions, type ReturnToMethods } from './parts/return-to/index.js'
export { storageFallback } from './parts/fallback/index.js'
export { diagnostics, type DiagnosticsMethods, type TimelineEntry } from './parts/diagnostics/index.js'
export type {
  Session,
  Register,
  RegisteredUser,
  SessionOptions,
  SessionState,
  SessionEvents,
  SessionEventName,
  SessionRequestInit,
  RefreshResult,
  RefreshContext,
  LogoutContext,
  SignOutOptions,
  SignOutReason,
  Status,
  Presence,
  WarningReason,
  Timers,
  TabChannel,
  TabLock,
  Part,
  PartContext,
  PartEvents,
  PartMethods,
  TraceEntry,
} from './core/types.js'
