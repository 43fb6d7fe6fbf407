// The mock's state: users, sessions (one refresh-token family each) and access tokens, in
// memory. Pure bookkeeping with an injected clock; no HTTP here, and nothing Node-only, so it
// also runs inside a browser under msw's setupWorker.

export interface StoredUser {
  id: string
  username: string
  password: string
  name: string
}

/** Why a family stopped working; decides which 401 its tokens get afterwards. */
export type EndReason = 'reuse' | 'revoked' | 'logout' | 'replaced' | 'expired'

/** A session is one refresh-token family: every rotation stays in it, reuse kills all of it. */
export interface Family {
  id: string
  userId: string
  createdAt: number
  /** Last login or successful refresh; the idle timeout counts from here. */
  lastUsedAt: number
  absoluteExpiresAt: number
  /** The only refresh token of the family that may be presented next. */
  current: string
  ended: EndReason | null
}

interface RefreshToken {
  familyId: string
  used: boolean
}

interface AccessToken {
  familyId: string
  userId: string
  expiresAt: number
}

/** 128+ bits from the platform CSPRNG (Web Crypto: present in browsers and Node >= 19). */
export function randomToken(bytes = 32): string {
  const data = globalThis.crypto.getRandomValues(new Uint8Array(bytes))
  let binary = ''
  for (const byte of data) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export type RefreshOutcome =
  | { ok: true; family: Family; refreshToken: string }
  | { ok: false; error: 'invalid_grant' | 'token_reused' | 'session_expired'; revoked: boolean }

export class Store {
  readonly users = new Map<string, StoredUser>()
  readonly families = new Map<string, Family>()
  readonly refreshTokens = new Map<string, RefreshToken>()
  readonly accessTokens = new Map<string, AccessToken>()

  constructor(
    private readonly now: () => number,
    private readonly ttl: { access: number; idle: number; absolute: number },
  ) {}

  addUser(user: { username: string; password: string; name: string; id?: string }): void {
    this.users.set(user.username, { id: user.id ?? `u-${user.username}`, username: user.username, password: user.password, name: user.name })
  }

  userById(id: string): StoredUser | undefined {
    for (const user of this.users.values()) if (user.id === id) return user
    return undefined
  }

  /** Checks a password without revealing through timing which usernames exist (enough for a mock). */
  authenticate(username: string, password: string): StoredUser | null {
    const user = this.users.get(username)
    return user && user.password === password ? user : null
  }

  /** A brand-new session: new family, new refresh token; nothing the client held before is reused. */
  createFamily(userId: string): { family: Family; refreshToken: string } {
    const now = this.now()
    const refreshToken = randomToken()
    const family: Family = {
      id: randomToken(16),
      userId,
      createdAt: now,
      lastUsedAt: now,
      absoluteExpiresAt: now + this.ttl.absolute * 1000,
      current: refreshToken,
      ended: null,
    }
    this.families.set(family.id, family)
    this.refreshTokens.set(refreshToken, { familyId: family.id, used: false })
    return { family, refreshToken }
  }

  /** Issues an access token that never outlives its session's hard cap. */
  issueAccessToken(family: Family): { token: string; expiresAt: number } {
    const token = randomToken()
    const expiresAt = Math.min(this.now() + this.ttl.access * 1000, family.absoluteExpiresAt)
    this.accessTokens.set(token, { familyId: family.id, userId: family.userId, expiresAt })
    return { token, expiresAt }
  }

  /** The user behind a live access token, or null. */
  checkAccess(token: string | null): StoredUser | null {
    if (!token) return null
    const access = this.accessTokens.get(token)
    if (!access) return null
    const family = this.families.get(access.familyId)
    if (!family || family.ended || this.now() >= access.expiresAt) return null
    return this.userById(access.userId) ?? null
  }

  familyOfRefreshToken(token: string | null): Family | null {
    const entry = token ? this.refreshTokens.get(token) : undefined
    return entry ? (this.families.get(entry.familyId) ?? null) : null
  }

  familyOfAccessToken(token: string | null): Family | null {
    const entry = token ? this.accessTokens.get(token) : undefined
    return entry ? (this.families.get(entry.familyId) ?? null) : null
  }

  /** Rotation with reuse detection: a token presented twice ends its whole family. */
  refresh(token: string | null): RefreshOutcome {
    const entry = token ? this.refreshTokens.get(token) : undefined
    const family = entry && this.families.get(entry.familyId)
    if (!entry || !family) return { ok: false, error: 'invalid_grant', revoked: false }
    if (entry.used) {
      // Someone holds a copy of a rotated token: neither copy can be trusted any more.
      this.endFamily(family, family.ended ?? 'reuse')
      return { ok: false, error: 'token_reused', revoked: true }
    }
    if (family.ended === 'expired') return { ok: false, error: 'session_expired', revoked: false }
    if (family.ended) return { ok: false, error: 'invalid_grant', revoked: family.ended === 'reuse' || family.ended === 'revoked' }
    const now = this.now()
    if (now >= family.lastUsedAt + this.ttl.idle * 1000 || now >= family.absoluteExpiresAt) {
      this.endFamily(family, 'expired')
      return { ok: false, error: 'session_expired', revoked: false }
    }
    return { ok: true, family, refreshToken: this.rotate(family) }
  }

  /** Marks the family's current token used and issues its successor. */
  rotate(family: Family): string {
    const previous = this.refreshTokens.get(family.current)
    if (previous) previous.used = true
    const next = randomToken()
    this.refreshTokens.set(next, { familyId: family.id, used: false })
    family.current = next
    family.lastUsedAt = this.now()
    return next
  }

  endFamily(family: Family, reason: EndReason): void {
    if (!family.ended) family.ended = reason
    for (const [token, access] of this.accessTokens) if (access.familyId === family.id) this.accessTokens.delete(token)
  }

  liveFamilies(): Family[] {
    return [...this.families.values()].filter((family) => !family.ended)
  }

  expireAccessTokens(): void {
    this.accessTokens.clear()
  }

  clearSessions(): void {
    this.families.clear()
    this.refreshTokens.clear()
    this.accessTokens.clear()
  }
}
