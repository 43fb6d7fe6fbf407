// The OAuth tests' msw token/revocation endpoint (Node's own fetch), listening for every test
// file that imports this module.
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, vi } from 'vitest'
import { oauthRefresh } from '../../src/oauth/index.js'

export const TOKEN = 'https://op.test/token'
export const REVOKE = 'https://op.test/token/revocation'

export const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  vi.useRealTimers()
})
afterAll(() => server.close())

export interface Seen {
  contentType: string | null
  accept: string | null
  form: Record<string, string>
  raw: string
}

/** Serves `reply` at `url` and records what each request carried. */
export function endpoint(url: string, reply: (form: Record<string, string>) => Response | Promise<Response>) {
  const seen: Seen[] = []
  server.use(
    http.post(url, async ({ request }) => {
      const raw = await request.text()
      const form = Object.fromEntries(new URLSearchParams(raw))
      seen.push({ contentType: request.headers.get('Content-Type'), accept: request.headers.get('Accept'), form, raw })
      return reply(form)
    }),
  )
  return seen
}

/** An unsigned JWT with `claims` as its payload (base64url, UTF-8). */
export const jwt = (claims: object) => {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${part({ alg: 'RS256' })}.${part(claims)}.c2ln`
}

export const ok = (body: object) => HttpResponse.json({ token_type: 'Bearer', ...body })
export const refresh = (options: Partial<Parameters<typeof oauthRefresh>[0]> = {}) => oauthRefresh({ tokenEndpoint: TOKEN, clientId: 'spa', ...options })
export const signal = new AbortController().signal

export async function rejection(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    return error as any
  }
  throw new Error('expected a rejection')
}
