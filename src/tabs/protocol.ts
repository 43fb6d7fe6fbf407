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

const REASONS = ['logout', 'idle', 'expired', 'refreshFailed', 'otherTab', 'revoked']
const isTime = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v < 1e15
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64

function credentials(c: any): Credentials | null {
  if (typeof c !== 'object' || c === null || !isTime(c.version) || !isTime(c.expiresAt)) return null
  if (c.absoluteExpiresAt !== null && !isTime(c.absoluteExpiresAt)) return null
  if (c.accessToken !== undefined && !(typeof c.accessToken === 'string' && c.accessToken.length <= 8192)) return null
  const out: Credentials = { version: c.version, expiresAt: c.expiresAt, absoluteExpiresAt: c.absoluteExpiresAt }
  if (c.accessToken !== undefined) out.accessToken = c.accessToken
  // `user` is the server's JSON; a structured-clone round trip keeps it free of prototypes.
  if (c.user !== undefined) out.user = JSON.parse(JSON.stringify(c.user) ?? 'null')
  return out
}

/**
 * Validates a message from another tab and returns a fresh copy built from the known
 * fields only (never the input object), or null. Never throws.
 */
export function parseMessage(raw: unknown, maxBytes = 16_384): TabMessage | null {
  try {
    const m = raw as any
    if (typeof m !== 'object' || m === null || m.v !== PROTOCOL_VERSION || !isId(m.from)) return null
    if (JSON.stringify(m).length > maxBytes) return null
    const base = { v: 1 as const, from: m.from as string }
    switch (m.type) {
      case 'hello':
        return { ...base, type: 'hello' }
      case 'state': {
        const c = m.credentials === null ? null : credentials(m.credentials)
        if (!isId(m.to) || (m.status !== 'authenticated' && m.status !== 'signedOut') || !isTime(m.lastActivity) || !isTime(m.version)) return null
        if (c === null && m.credentials !== null) return null
        return { ...base, type: 'state', to: m.to, status: m.status, lastActivity: m.lastActivity, credentials: c, version: m.version }
      }
      case 'refreshed':
      case 'signedIn': {
        const c = credentials(m.credentials)
        return c && { ...base, type: m.type, credentials: c }
      }
      case 'signedOut':
        return REASONS.includes(m.reason) && isTime(m.version) ? { ...base, type: 'signedOut', reason: m.reason, version: m.version } : null
      case 'activity':
      case 'stayActive':
        return isTime(m.at) ? { ...base, type: m.type, at: m.at } : null
      case 'refreshing':
        return typeof m.active === 'boolean' ? { ...base, type: 'refreshing', active: m.active } : null
    }
  } catch {}
  return null
}
