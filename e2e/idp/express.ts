// A real cookie-session server: express 5 + express-session (MemoryStore, rolling: true, a
// short maxAge). The session cookie is the only credential; session-continuity runs in its
// default cookie mode against /auth/refresh and /auth/logout.
import express from 'express'
import session from 'express-session'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'

declare module 'express-session' {
  interface SessionData {
    user: { id: string; name: string }
  }
}

export interface CookieServerCounters {
  logins: number
  /** /auth/refresh answers by status. */
  refresh: Record<number, number>
  logoutRequests: number
  /** Server sessions destroyed by /auth/logout. */
  destroys: number
  /** /api/* answers by status. */
  api: Record<number, number>
}

export interface CookieServer {
  url: string
  maxAge: number
  counters: CookieServerCounters
  /** Session ids that reached /auth/refresh or /api/* signed in. */
  sessionIds: Set<string>
  /** How many sessions the store holds (expired ones included until read). */
  storedSessions(): Promise<number>
  reset(): void
  close(): Promise<void>
}

export async function startCookieServer({ maxAge = 3_000 } = {}): Promise<CookieServer> {
  const store = new session.MemoryStore()
  const counters = {} as CookieServerCounters
  const sessionIds = new Set<string>()
  const bump = (map: Record<number, number>, status: number) => {
    map[status] = (map[status] ?? 0) + 1
    return status
  }
  const result = (user: { id: string; name: string }) => ({ expiresIn: maxAge / 1000, user })

  const app = express()
  app.use(express.json())
  app.use(
    session({
      name: 'sid',
      secret: 'express-session-e2e',
      store,
      resave: false,
      saveUninitialized: false,
      rolling: true, // every answer to a signed-in request pushes the expiry maxAge ahead
      cookie: { maxAge, httpOnly: true, sameSite: 'lax' },
    }),
  )
  app.post('/auth/login', (req, res, next) => {
    req.session.regenerate((error) => {
      if (error) return next(error)
      const user = { id: 'u1', name: String(req.body?.username ?? 'ada') }
      req.session.user = user
      counters.logins++
      res.json(result(user))
    })
  })
  app.post('/auth/refresh', (req, res) => {
    const user = req.session.user
    if (!user) return void res.status(bump(counters.refresh, 401)).json({ error: 'no session' })
    sessionIds.add(req.sessionID)
    req.session.touch()
    bump(counters.refresh, 200)
    res.json(result(user))
  })
  app.post('/auth/logout', (req, res, next) => {
    counters.logoutRequests++
    if (!req.session.user) return void res.status(204).end()
    req.session.destroy((error) => {
      if (error) return next(error)
      counters.destroys++
      res.clearCookie('sid').status(204).end()
    })
  })
  app.use('/api', (req, res) => {
    const user = req.session.user
    if (user) sessionIds.add(req.sessionID)
    res.status(bump(counters.api, user ? 200 : 401)).json(user ? { ok: true, path: req.originalUrl } : { error: 'no session' })
  })
  app.use('/dist', express.static(resolve('dist')))
  app.use('/e2e', express.static(resolve('e2e/pages')))

  const server = createServer(app)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const cookieServer: CookieServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    maxAge,
    counters,
    sessionIds,
    storedSessions: () => new Promise((done, fail) => store.length((error, n) => (error ? fail(error) : done(n ?? 0)))),
    reset() {
      Object.assign(counters, { logins: 0, refresh: {}, logoutRequests: 0, destroys: 0, api: {} })
      sessionIds.clear()
      store.clear()
    },
    async close() {
      server.closeAllConnections()
      await new Promise((done) => server.close(done))
    },
  }
  cookieServer.reset()
  return cookieServer
}
