// More of the ky adapter's matrix (run by each ky*.test.ts, like ky-suite.ts): what the replay
// carries when the user's own hooks change the request, and a 401 that arrives after another
// call's refresh already renewed the token.
import { describe, expect, it } from 'vitest'
import { BASE, expected, retryOf, send, setup, variants, type Harness } from './ky-harness.js'

const state = (args: any[]) => (args[0].options ? args[0] : { request: args[0], options: args[1] })
/** Sends `request` on to the stub server (at `path`, if given), reading its body off as a real fetch does. */
const forward = async (h: Harness, request: Request, path?: string) =>
  h.server.fetch(path ? `${BASE}/${path}` : request.url, { method: request.method, headers: request.headers, body: request.body ? await request.arrayBuffer() : null })

export function kyReplaySuite(label: string) {
  describe(`session-continuity/ky replays (${label})`, () => {
    for (const method of ['get', 'post'] as const) {
      for (const { name, limit } of variants) {
        describe(`${method.toUpperCase()}, ${name}`, () => {
          const hooks = {
            sets: (request: Request) => void request.headers.set('X-CSRF-Token', 'csrf-1'),
            returns: (request: Request) => new Request(request, { headers: [...request.headers, ['X-CSRF-Token', 'csrf-1']] }),
          }
          for (const [how, hook] of Object.entries(hooks))
            it(`a header the user's own beforeRequest hook ${how} after the session's goes out on the replay too`, async () => {
              const seen: Array<string | null> = []
              let h!: Harness
              const fetch = (request: Request) => (seen.push(request.headers.get('X-CSRF-Token')), forward(h, request))
              h = await setup({ ...retryOf(limit), fetch })
              const api = h.api.extend({ hooks: { beforeRequest: [(...args: any[]) => hook(state(args).request)] } })
              h.server.expire()
              expect(await send(api, method, 5).json()).toEqual(expected(method, 5))
              expect(seen).toEqual(['csrf-1', 'csrf-1'])
              expect(h.hits).toEqual([]) // (the harness's own fetch was replaced)
            })

          if (method == 'post')
            it('a FormData body (a file in it) is replayed byte for byte, with its multipart boundary', async () => {
              const sent: Array<{ type: string | null; body: string }> = []
              let h!: Harness
              const fetch = async (request: Request) => {
                const copy = request.clone()
                sent.push({ type: copy.headers.get('Content-Type'), body: await copy.text() })
                return forward(h, request)
              }
              h = await setup({ ...retryOf(limit), fetch })
              const form = new FormData()
              form.append('draft', 'keep ✓')
              form.append('file', new Blob(['%PDF-1.7 …'], { type: 'application/pdf' }), 'a.pdf')
              h.server.expire()
              const response = await h.api.post(`${BASE}/echo`, { body: form })
              expect(response.status).toBe(200)
              expect(sent).toHaveLength(2)
              expect(sent[1]).toEqual(sent[0])
              expect(sent[0].type).toMatch(/^multipart\/form-data; boundary=/)
              expect(sent[0].body).toContain('%PDF-1.7 …')
            })

          it("a 401 to a request sent before another call's refresh renewed the token is replayed without a second refresh", async () => {
            let h!: Harness
            let open!: () => void
            const gate = new Promise<void>((resolve) => (open = resolve))
            let arrived!: () => void
            const slowSent = new Promise<void>((resolve) => (arrived = resolve))
            const auths: Array<string | null> = []
            const fetch = async (request: Request) => {
              auths.push(request.headers.get('Authorization'))
              // /api/slow is answered (with the token it was sent with) only once the gate opens.
              if (request.url.endsWith('/slow')) {
                const first = auths.length == 1
                if (first) arrived(), await gate
                return forward(h, request, request.method == 'POST' ? 'echo' : 'item/9')
              }
              return forward(h, request)
            }
            h = await setup({ ...retryOf(limit), fetch })
            h.server.expire()
            const before = h.server.calls.refresh
            const slow = send(h.api, method, 9, 'slow').json()
            await slowSent
            // Another call gets its 401, refreshes and is replayed, while the slow one is still out.
            expect(await send(h.api, method, 1).json()).toEqual(expected(method, 1))
            expect(h.server.calls.refresh - before).toBe(1)
            open()
            // Its 401 belongs to the old token: the new one is already here, no refresh is needed.
            expect(await slow).toEqual(expected(method, 9))
            expect(h.server.calls.refresh - before).toBe(1)
            expect(auths.at(-1)).toBe(`Bearer ${h.server.token}`)
          })
        })
      }
    }
  })
}
