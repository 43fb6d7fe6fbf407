// A real OpenID Provider (oidc-provider 9, in-process) and the SPA that signs in with it.
//  - the OP listens on http://127.0.0.1:<port>: a public client `spa` (no secret, PKCE
//    required), rotating refresh tokens with reuse detection, short access tokens, the
//    development login and consent pages, revocation and introspection;
//  - the SPA server listens on 127.0.0.1 too but is opened as http://localhost:<port> (another
//    host: its cookies are its own, and the token calls are cross-origin, as in production).
//    It serves dist/, e2e/pages/idp.html and /api/*, which checks the bearer token with the
//    OP's introspection endpoint (a confidential client `api`).
// The tests read counters, make the OP expire or revoke what it issued, and scan the browser
// for the refresh tokens it handed out.
import express from 'express'
import Provider from 'oidc-provider'
import { generateKeyPairSync } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'

export interface TokenCall {
  at: number
  grantType: string
  status: number
}

export interface IdpCounters {
  /** Successful token grants by grant_type (authorization_code, refresh_token). */
  grants: Record<string, number>
  /** Token endpoint requests, successful or not. */
  tokenRequests: number
  /** A rotated (already used) refresh token presented again: the OP revokes the grant. */
  refreshReuses: number
  /** Requests to the revocation endpoint. */
  revocationRequests: number
  /** Grants revoked (by the revocation endpoint, reuse detection or `revokeGrants()`). */
  grantsRevoked: number
  /** /api/* answers by status. */
  api: Record<number, number>
}

export interface Idp {
  issuer: string
  /** The SPA origin (http://localhost:<port>). */
  spa: string
  /** The SPA page, also the redirect URI. */
  page: string
  clientId: string
  counters: IdpCounters
  /** Every token endpoint answer, in order. */
  tokenCalls: TokenCall[]
  /** Every refresh token the OP issued (the opaque value), in order. */
  refreshTokens: string[]
  /** Every access token the OP issued. */
  accessTokens: string[]
  /** Access token lifetime in seconds for tokens issued from now on (default 20). */
  accessTtl: number
  /** Whether the refresh token `value` still works at the OP (not revoked, consumed or expired). */
  isRefreshTokenValid(value: string): Promise<boolean>
  /** Makes every access token issued so far invalid (introspection answers inactive); grants stay. */
  expireAccessTokens(): void
  /** Revokes every grant server-side, as an administrator would: tokens and grants are gone. */
  revokeGrants(): number
  /** Presents `refreshToken` to the token endpoint, as an attacker with a stolen copy would. */
  refreshWith(refreshToken: string): Promise<{ status: number; body: any }>
  reset(): void
  close(): Promise<void>
}

const listen = (server: Server) =>
  new Promise<number>((done, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port))
  })

interface Entry {
  payload: any
  expiresAt: number
}

export async function startIdp(): Promise<Idp> {
  const spaServer = createServer()
  const opServer = createServer()
  const spaPort = await listen(spaServer)
  const opPort = await listen(opServer)
  const issuer = `http://127.0.0.1:${opPort}`
  const spa = `http://localhost:${spaPort}`
  const page = `${spa}/e2e/idp.html`

  const counters = {} as IdpCounters
  const tokenCalls: TokenCall[] = []
  const refreshTokens: string[] = []
  const accessTokens: string[] = []
  const store = new Map<string, Entry>()
  const live = (entry: Entry | undefined) => (entry && entry.expiresAt > Date.now() ? entry : undefined)

  // A plain in-memory adapter the tests can look into (the built-in one is a shared LRU).
  class Adapter {
    constructor(private model: string) {}
    private key = (id: string) => `${this.model}:${id}`
    async upsert(id: string, payload: any, expiresIn?: number) {
      store.set(this.key(id), { payload: structuredClone(payload), expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity })
      if (this.model == 'RefreshToken') refreshTokens.push(id)
      if (this.model == 'AccessToken') accessTokens.push(id)
    }
    async find(id: string) {
      const entry = live(store.get(this.key(id)))
      return entry && structuredClone(entry.payload)
    }
    async findByUid(uid: string) {
      for (const [key, entry] of store) if (key.startsWith(`${this.model}:`) && live(entry) && entry.payload.uid == uid) return structuredClone(entry.payload)
      return undefined
    }
    async findByUserCode(userCode: string) {
      for (const [key, entry] of store) if (key.startsWith(`${this.model}:`) && live(entry) && entry.payload.userCode == userCode) return structuredClone(entry.payload)
      return undefined
    }
    async consume(id: string) {
      const entry = store.get(this.key(id))
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000)
    }
    async destroy(id: string) {
      store.delete(this.key(id))
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, entry] of store) if (key.startsWith(`${this.model}:`) && entry.payload.grantId == grantId) store.delete(key)
    }
  }

  const idp: Idp = {
    issuer,
    spa,
    page,
    clientId: 'spa',
    counters,
    tokenCalls,
    refreshTokens,
    accessTokens,
    accessTtl: 20,
    async isRefreshTokenValid(value) {
      const entry = live(store.get(`RefreshToken:${value}`))
      return !!entry && !entry.payload.consumed && !!live(store.get(`Grant:${entry.payload.grantId}`))
    },
    expireAccessTokens() {
      for (const key of [...store.keys()]) if (key.startsWith('AccessToken:')) store.delete(key)
    },
    revokeGrants() {
      const grants = [...store.keys()].filter((key) => key.startsWith('Grant:')).map((key) => key.slice('Grant:'.length))
      for (const [key, entry] of store) if (key.startsWith('Grant:') || grants.includes(entry.payload.grantId)) store.delete(key)
      counters.grantsRevoked += grants.length
      return grants.length
    },
    async refreshWith(refreshToken) {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { Accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'spa' }),
      })
      return { status: res.status, body: await res.json() }
    },
    reset() {
      Object.assign(counters, { grants: {}, tokenRequests: 0, refreshReuses: 0, revocationRequests: 0, grantsRevoked: 0, api: {} })
      tokenCalls.length = refreshTokens.length = accessTokens.length = 0
      store.clear()
      idp.accessTtl = 20
    },
    async close() {
      opServer.closeAllConnections()
      spaServer.closeAllConnections()
      await Promise.all([new Promise((r) => opServer.close(r)), new Promise((r) => spaServer.close(r))])
    },
  }
  idp.reset()

  // The OP's own signing key (RS256, the default ID token algorithm).
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })
  const provider = new Provider(issuer, {
    adapter: Adapter as any,
    jwks: { keys: [{ ...jwk, kid: 'e2e', alg: 'RS256', use: 'sig' }] },
    clients: [
      {
        client_id: 'spa',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [page],
        post_logout_redirect_uris: [page],
      },
      // The resource server: introspects the bearer tokens /api/* receives.
      { client_id: 'api', client_secret: 'api-secret', grant_types: [], response_types: [], redirect_uris: [] },
    ],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    // A refresh token for the SPA without offline_access (it lives as long as the OP session).
    issueRefreshToken: async (_ctx: any, client: any) => client.grantTypeAllowed('refresh_token'),
    ttl: { AccessToken: () => idp.accessTtl, IdToken: 3600, Interaction: 600, RefreshToken: 24 * 3600, Session: 24 * 3600, Grant: 24 * 3600 },
    clientBasedCORS: (_ctx: any, origin: string) => origin == spa,
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], profile: ['name'] },
    findAccount: async (_ctx: any, sub: string) => ({ accountId: sub, claims: async () => ({ sub, name: sub[0]!.toUpperCase() + sub.slice(1) }) }),
    cookies: { keys: ['idp-e2e-cookie-key'] },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true, allowedPolicy: async (_ctx: any, client: any, token: any) => token.clientId == client.clientId },
      introspection: { enabled: true, allowedPolicy: async (_ctx: any, client: any) => client.clientId == 'api' },
    },
  } as any)

  provider.on('grant.success', (ctx: any) => {
    const type = ctx.oidc.params.grant_type
    counters.grants[type] = (counters.grants[type] ?? 0) + 1
  })
  provider.on('grant.error', (_ctx: any, error: any) => {
    if (error.error_detail == 'refresh token already used') counters.refreshReuses++
  })
  provider.on('grant.revoked', () => counters.grantsRevoked++)
  provider.use(async (ctx: any, next: () => Promise<void>) => {
    const path = ctx.path
    await next()
    if (ctx.method != 'POST') return
    if (path == '/token') {
      counters.tokenRequests++
      tokenCalls.push({ at: Date.now(), grantType: ctx.oidc?.params?.grant_type ?? '?', status: ctx.status })
    }
    if (path == '/token/revocation') counters.revocationRequests++
  })
  // The development login and consent pages import a web font: dropped, nothing leaves the machine
  // (and the form does not wait for a request that cannot succeed).
  provider.use(async (ctx: any, next: () => Promise<void>) => {
    await next()
    if (typeof ctx.body == 'string' && ctx.body.includes('fonts.googleapis.com')) ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g, '')
  })
  opServer.on('request', provider.callback())

  const app = express()
  app.get('/idp/config', (_req, res) => res.json({ issuer, clientId: 'spa' }))
  const basic = `Basic ${Buffer.from('api:api-secret').toString('base64')}`
  app.use('/api', async (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.get('Authorization') ?? '')?.[1]
    let active = false
    if (token) {
      const answer = await fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        headers: { Authorization: basic, Accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
      })
      active = (await answer.json()).active === true
    }
    const status = active ? 200 : 401
    counters.api[status] = (counters.api[status] ?? 0) + 1
    if (!active) res.set('WWW-Authenticate', 'Bearer error="invalid_token"')
    res.status(status).json(active ? { ok: true, path: req.originalUrl } : { error: 'invalid_token' })
  })
  app.use('/dist', express.static(resolve('dist')))
  app.use('/e2e', express.static(resolve('e2e/pages')))
  spaServer.on('request', app)

  return idp
}
