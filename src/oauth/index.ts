// OAuth 2.0 / OpenID Connect helpers for a public client (a SPA, no secret): the session's
// `refresh` and `logout` functions speaking to an OP's token and revocation endpoints, and the
// mapping of a code-exchange reply to `session.signIn()`. Browser code, no dependencies;
// nothing here is bundled unless `session-continuity/oauth` is imported.
import { OptionError, SessionEndedError, SessionError, TransientRefreshError } from '../base/errors.js'
import type { RefreshResult } from '../base/types.js'

/** A token endpoint reply (RFC 6749 §5.1; OpenID Connect adds `id_token`). */
export interface TokenResponse {
  access_token: string
  expires_in?: number | string
  refresh_token?: string
  id_token?: string
  token_type?: string
  scope?: string
}

/** What the session's `refresh` and `signIn` take; `refreshToken` is the secret for the next refresh. */
export type OAuthRefreshResult = RefreshResult & { refreshToken?: string }

export interface OAuthRefreshOptions {
  tokenEndpoint: string
  clientId: string
  /** Asks for a narrower scope on refresh (RFC 6749 §6); omitted: the grant's scope. */
  scope?: string
  fetch?: typeof fetch
}

export interface OAuthRevokeOptions {
  revocationEndpoint: string
  clientId: string
  fetch?: typeof fetch
}

export interface EndSessionOptions {
  /** Absolute, as the OP's discovery document gives it (`end_session_endpoint`). */
  endSessionEndpoint: string
  clientId: string
  postLogoutRedirectUri?: string
  /** The raw ID token, when the OP wants it to skip its logout confirmation. */
  idTokenHint?: string
}

const check = (options: any, names: string[]) => {
  for (const name of names)
    if (typeof options?.[name] != 'string' || !options[name])
      throw new OptionError(name, 'a non-empty string', options?.[name])
  if (options.fetch !== undefined && typeof options.fetch != 'function') throw new OptionError('fetch', 'a function', options.fetch)
}

/** A form POST (a URLSearchParams body goes as application/x-www-form-urlencoded;charset=UTF-8). */
const post = (options: { fetch?: typeof fetch }, url: string, body: Record<string, string | undefined>, keepalive?: boolean) => {
  const f = options.fetch || fetch
  const form = new URLSearchParams()
  for (const key in body) if (body[key]) form.append(key, body[key]!)
  return f(url, { method: 'POST', body: form, headers: { Accept: 'application/json' }, credentials: 'omit', keepalive })
}

/**
 * Claims of the ID token that change with every token; the rest is the user (and stays equal).
 * `c_hash`, `s_hash`: OpenID Connect's other token hashes; `uti`, `rh`, `aio`: Entra ID's token
 * identifier and internal per-token claims.
 */
const PER_TOKEN = ['iat', 'exp', 'nbf', 'jti', 'nonce', 'at_hash', 'c_hash', 's_hash', 'uti', 'rh', 'aio']

/**
 * The reply mapped for the session, or null when it carries no usable access token. The ID
 * token came straight from the token endpoint over TLS, so its claims are read without
 * checking the signature (OpenID Connect Core §3.1.3.7); a malformed one is ignored.
 */
const map = (body: any, previous?: string | null): OAuthRefreshResult | null => {
  if (typeof body?.access_token != 'string' || !body.access_token) return null
  // The session sends every access token as `Bearer`, and a client must not use a token of a
  // type it does not understand (RFC 6749 §7.1): a DPoP-bound one sent so would 401 at every
  // request, each answered with a refresh. token_type is case-insensitive; a missing one
  // (it is REQUIRED, but some OPs leave it out) is taken as Bearer.
  const type = body.token_type
  if (type != null && !/^bearer$/i.test(type)) throw new OptionError('tokenResponse.token_type', "'Bearer'", type)
  // expires_in is only RECOMMENDED (and some OPs send it as a string). Without one, 300 s is
  // assumed rather than failing a reply that may have rotated the refresh token: a shorter
  // lifetime shows as a 401, which the session answers with a refresh. One out of range (0 or
  // less, over 10 years) is clamped the same way: the session would refuse it, and the reply's
  // rotated refresh token with it.
  const life = +body.expires_in
  const result: OAuthRefreshResult = { accessToken: body.access_token, expiresIn: life > 0 ? Math.min(life, 315_360_000) : 300 }
  const refreshToken = body.refresh_token || previous
  if (refreshToken) result.refreshToken = refreshToken
  try {
    const claims = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(atob(body.id_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))),
    )
    for (const name of PER_TOKEN) delete claims[name]
    result.user = claims
  } catch {}
  return result
}

/** Maps the reply of the authorization-code exchange to what `session.signIn()` takes. */
export function toRefreshResult(tokenResponse: TokenResponse): OAuthRefreshResult {
  const result = map(tokenResponse)
  if (!result) throw new OptionError('tokenResponse.access_token', 'a non-empty string', tokenResponse?.access_token)
  return result
}

/**
 * The session's `refresh` option for an OAuth 2.0 public client: the refresh-token grant
 * against `tokenEndpoint`. 400 invalid_grant, 401 and other client errors end the session
 * (SessionEndedError, reason 'revoked' when the OP says the grant was revoked or the token
 * reused); 5xx, 408, 429 and network failures are transient (TransientRefreshError with the
 * server's Retry-After in ms).
 */
export function oauthRefresh(options: OAuthRefreshOptions) {
  check(options, ['tokenEndpoint', 'clientId'])
  if (options.scope !== undefined && typeof options.scope != 'string') throw new OptionError('scope', 'a string', options.scope)
  const { tokenEndpoint, clientId, scope } = options
  return async ({ refreshToken }: { signal?: AbortSignal; refreshToken?: string | null }): Promise<OAuthRefreshResult> => {
    if (!refreshToken) throw new SessionEndedError(0) // nothing to refresh with (no request made)
    let res: Response
    try {
      // No `signal`, on purpose: with rotation, the OP invalidates the old refresh token as
      // soon as it answers. An aborted request whose reply had rotated it would lose the new
      // one, and the next refresh would reuse the old one (the OP then revokes the grant).
      // The session adopts a reply that comes after its refreshTimeout instead. (Nor
      // `keepalive`: a page that unloads mid-refresh could not read the reply either.)
      res = await post(options, tokenEndpoint, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, scope })
    } catch (error) {
      throw new TransientRefreshError(`network: ${(error as Error)?.message ?? error}`)
    }
    const { status } = res
    const body = await res.json().catch(() => undefined)
    if (res.ok) {
      let result
      try {
        result = map(body, refreshToken)
      } catch {
        throw new SessionEndedError(status) // a token this session cannot use (token_type)
      }
      if (result) return result
      throw new TransientRefreshError('malformed reply: no access_token', status)
    }
    if (status < 500 && status != 408 && status != 429)
      throw new SessionEndedError(status, /revoked|reuse|already used/i.test(body?.error_description) ? 'revoked' : 'refreshFailed')
    // Retry-After: seconds or an HTTP date.
    const after = res.headers.get('Retry-After') || ''
    const wait = /^\d+$/.test(after) ? +after * 1000 : Date.parse(after) - Date.now()
    throw new TransientRefreshError(`HTTP ${status}`, status, wait >= 0 ? wait : null)
  }
}

/**
 * The session's `logout` option: revokes the refresh token (or, without one, the access
 * token) at the OP (RFC 7009). A failure rejects; the session signs out locally anyway.
 */
export function oauthRevoke(options: OAuthRevokeOptions) {
  check(options, ['revocationEndpoint', 'clientId'])
  return async ({ refreshToken, accessToken }: { refreshToken?: string | null; accessToken?: string | null }): Promise<void> => {
    const token = refreshToken || accessToken
    if (!token) return
    const res = await post(options, options.revocationEndpoint, {
      token,
      token_type_hint: refreshToken ? 'refresh_token' : 'access_token',
      client_id: options.clientId,
    }, true) // keepalive: the revocation outlives a redirect to the OP's logout page
    res.body?.cancel().catch(() => {})
    if (!res.ok) throw new SessionError(`token revocation answered ${res.status}`, { status: res.status })
  }
}

/**
 * The OP's RP-initiated logout URL (OpenID Connect RP-Initiated Logout 1.0), for
 * `location.assign(endSessionUrl({ ... }))` after `session.signOut()`.
 */
export function endSessionUrl(options: EndSessionOptions): string {
  check(options, ['endSessionEndpoint', 'clientId'])
  // The page is sent to the endpoint, and by the OP on to the redirect URI: only absolute
  // http(s) URLs, never javascript: or data: (from a discovery document, or a value the app
  // took from a query string), nor a relative one the OP would resolve against itself.
  const web = (name: string, value: string) => {
    try {
      const url = new URL(value)
      if (/^https?:$/.test(url.protocol)) return url
    } catch {}
    throw new OptionError(name, 'an absolute http(s) URL', value)
  }
  const url = web('endSessionEndpoint', options.endSessionEndpoint)
  const { clientId, postLogoutRedirectUri, idTokenHint } = options
  if (postLogoutRedirectUri) web('postLogoutRedirectUri', postLogoutRedirectUri)
  for (const [key, value] of [['client_id', clientId], ['post_logout_redirect_uri', postLogoutRedirectUri], ['id_token_hint', idTokenHint]])
    if (value) url.searchParams.set(key!, value)
  return url.href
}
