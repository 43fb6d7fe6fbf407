// Cross-tab message types. The validator (parseMessage) is implemented below the types.
import type { SignOutReason } from '../core/types.js'

export const PROTOCOL_VERSION = 1

interface Base {
  v: 1
  /** Random id of the sending tab (never a secret). */
  from: string
}
export interface Credentials {
  /** Credentials version: max(previous + 1, Date.now()) so tabs can order them without coordination. */
  version: number
  expiresAt: number
  absoluteExpiresAt: number | null
  /** Bearer mode only, BroadcastChannel only (the storage fallback strips it). */
  accessToken?: string
  user?: unknown
}
export type TabMessage =
  | (Base & { type: 'hello' })
  | (Base & { type: 'state'; to: string; status: 'authenticated' | 'signedOut'; lastActivity: number; credentials: Credentials | null; version: number })
  | (Base & { type: 'refreshed'; credentials: Credentials })
  | (Base & { type: 'signedIn'; credentials: Credentials })
  | (Base & { type: 'signedOut'; reason: SignOutReason; version: number })
  | (Base & { type: 'activity'; at: number })
  | (Base & { type: 'stayActive'; at: number })
  | (Base & { type: 'refreshing'; active: boolean })
