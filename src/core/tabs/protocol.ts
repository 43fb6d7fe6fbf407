// Cross-tab message types, and the validator every received message goes through.
// The core's own types are below; parts add theirs (ctx.receive) with the same notation.
import type { SignOutReason } from '../types.js'

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
  /** Bearer mode only. BroadcastChannel only: a fallback channel must strip it. */
  accessToken?: string
  /** The secret for the next custom refresh. BroadcastChannel only: a fallback channel must strip it. */
  refreshToken?: string
  user?: unknown
}
export type TabMessage =
  | (Base & { type: 'hello' })
  | (Base & { type: 'refreshed' | 'signedIn'; credentials: Credentials })
  | (Base & { type: 'signedOut'; reason: SignOutReason; version: number })
  | (Base & { type: 'refreshing'; active: boolean })

/** The reasons a `signedOut` message may carry. */
export const REASONS: readonly SignOutReason[] = ['logout', 'idle', 'expired', 'refreshFailed', 'revoked']

/**
 * Field kinds: t a time (finite, >= 0, < 1e15), n a time or null, i a tab id, b a boolean,
 * r a sign-out reason, s a token (string up to 8 KiB), j the server's JSON (`user`),
 * c credentials. A trailing `?` makes the field optional.
 */
const CHECKS: Record<string, (v: any) => unknown> = {
  t: (v) => typeof v == 'number' && v >= 0 && v < 1e15,
  n: (v) => v === null || CHECKS.t!(v),
  i: (v) => typeof v == 'string' && v && v.length <= 64,
  b: (v) => typeof v == 'boolean',
  r: (v) => REASONS.includes(v),
  s: (v) => typeof v == 'string' && v.length <= 8192,
  j: () => 1,
  c: (v) => typeof v == 'object' && v,
}
const CREDENTIALS = 'version:t expiresAt:t absoluteExpiresAt:n accessToken:s? refreshToken:s? user:j?'

/** The core's message shapes; a session copies this table and parts add to its copy. */
export const CORE_SHAPES: Record<string, string> = {
  hello: '',
  refreshed: 'credentials:c',
  signedIn: 'credentials:c',
  signedOut: 'reason:r version:t',
  refreshing: 'active:b',
}

/** Copies the fields of `shape` from `m` into a fresh object, or null if one is wrong. */
function pick(shape: string, m: any, out: any = {}): any {
  for (const field of shape.split(' ')) {
    if (!field) continue
    const [key, kind] = field.split(':') as [string, string]
    let value = m[key]
    if (value === undefined && kind[1]) continue
    if (!CHECKS[kind[0]!]!(value)) return null
    // `user` is the server's JSON: a JSON round trip keeps it free of prototypes and functions.
    if (kind == 'j?') value = JSON.parse(JSON.stringify(value) ?? 'null')
    if (kind == 'c' && !(value = pick(CREDENTIALS, value))) return null
    out[key] = value
  }
  return out
}

/**
 * Validates a message from another tab against `shapes` and returns a fresh copy built
 * from the known fields only (never the input object), or null. Never throws.
 */
export function parseMessage(raw: unknown, shapes: Record<string, string> = CORE_SHAPES, maxLength = 65_536): (TabMessage & Record<string, any>) | null {
  try {
    const m = raw as any
    if (m.v === PROTOCOL_VERSION && CHECKS.i!(m.from) && typeof m.type == 'string' && shapes.hasOwnProperty(m.type) && JSON.stringify(m).length <= maxLength)
      return pick(shapes[m.type]!, m, { v: 1, from: m.from, type: m.type })
  } catch {}
  return null
}
