// @vitest-environment node
// What only the node:http runtime does: static files, safe paths, the truncated-response
// network fault, and a close() that does not wait for idle or hung sockets.
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startMockServer, type MockServer } from '../../src/mock/index.js'

let servers: MockServer[] = []
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
})
async function start(options: Parameters<typeof startMockServer>[0] = {}) {
  const server = await startMockServer({ static: { '/': 'test/mock/fixtures/www', '/assets/': 'test/mock/fixtures/www/sub' }, ...options })
  servers.push(server)
  return server
}

/** A raw request whose path, method and headers are sent exactly as written (fetch would normalize `..` away, and refuses TRACE). */
function rawRequest(server: MockServer, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode!, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('startMockServer', () => {
  it('listens on 127.0.0.1 on a free port', async () => {
    const server = await start()
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
    expect(server.port).toBeGreaterThan(0)
  })

  it('rejects a bad port with an error naming the option', async () => {
    await expect(startMockServer({ port: -1 })).rejects.toThrow(/port/)
    await expect(startMockServer({ credentials: 'jwt' as never })).rejects.toThrow(/credentials/)
  })

  it.each([
    ['/', 'text/html; charset=utf-8', '<!doctype html>'],
    ['/index.html', 'text/html; charset=utf-8', '<!doctype html>'],
    ['/app.js', 'text/javascript; charset=utf-8', 'console.log'],
    ['/mod.mjs', 'text/javascript; charset=utf-8', 'export const'],
    ['/style.css', 'text/css; charset=utf-8', 'body{'],
    ['/data.json', 'application/json; charset=utf-8', '{"ok":true}'],
    ['/app.js.map', 'application/json; charset=utf-8', '{"version":3}'],
    ['/icon.svg', 'image/svg+xml', '<svg'],
    ['/pixel.png', 'image/png', ''],
    ['/sub/', 'text/html; charset=utf-8', '<p>sub</p>'],
    ['/assets/index.html', 'text/html; charset=utf-8', '<p>sub</p>'],
  ])('serves %s as %s, never cached', async (path, type, start_) => {
    const server = await start()
    const res = await fetch(server.url + path)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe(type)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    expect(await res.text()).toContain(start_)
  })

  it('HEAD has headers and no body; missing files and other methods are JSON 404s', async () => {
    const server = await start()
    const head = await fetch(server.url + '/app.js', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('Content-Length')).toBe(String('console.log("app")\n'.length))
    expect(await head.text()).toBe('')
    const missing = await fetch(server.url + '/nope.js')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ error: 'not_found' })
    expect((await fetch(server.url + '/app.js', { method: 'POST' })).status).toBe(404)
  })

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/..%2f..%2f..%2fpackage.json',
    '/assets/..%2f..%2fsecret.txt',
    '/%2e%2e%5csecret.txt',
    '/app.js%00.html',
    '/%E0%A4%A',
    '//etc/passwd',
  ])('refuses traversal: %s → 404', async (path) => {
    const server = await start()
    const res = await rawRequest(server, path)
    expect(res.status).toBe(404)
    expect(res.body).not.toContain('top secret')
    expect(res.body).not.toContain('"devDependencies"')
  })

  it.each(['/auth/refresh', '/api/me', '/app.js'])('TRACE (a method the Fetch API refuses) on %s: a JSON 501, not a 500', async (path) => {
    const server = await start()
    const res = await rawRequest(server, path, 'TRACE')
    expect(res.status).toBe(501)
    expect(JSON.parse(res.body).error).toBe('not_implemented')
    expect((await fetch(server.url + '/api/me')).status).toBe(401)
  })

  it('without static mounts, only the API answers', async () => {
    const server = await startMockServer()
    servers.push(server)
    expect((await fetch(server.url + '/')).status).toBe(404)
    expect((await fetch(server.url + '/api/me')).status).toBe(401)
  })

  it("'network' writes headers promising 100 bytes, a few bytes, then drops the socket (no silent browser retry)", async () => {
    const server = await start()
    server.control.failNextRefresh('network')
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write('POST /auth/refresh HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n')
      })
      let data = ''
      socket.setEncoding('utf8')
      socket.on('data', (chunk) => (data += chunk))
      socket.on('close', () => resolve(data))
      socket.on('error', reject)
    })
    expect(raw).toMatch(/^HTTP\/1\.1 200/)
    expect(raw).toMatch(/content-length: 100/i)
    const body = raw.split('\r\n\r\n')[1]!
    expect(body.length).toBeGreaterThan(0)
    expect(body.length).toBeLessThan(100)
    expect(server.control.counters.refreshCalls).toBe(1)
  })

  it('close() is quick with keep-alive sockets open and a request hanging', async () => {
    const server = await start()
    server.control.failNextRefresh('hang')
    expect((await fetch(server.url + '/api/me')).status).toBe(401) // leaves a keep-alive socket
    const hung = fetch(server.url + '/auth/refresh', { method: 'POST' }).then((r) => r.text())
    while (server.control.counters.refreshCalls === 0) await new Promise((r) => setTimeout(r, 5))
    const started = performance.now()
    await server.close()
    expect(performance.now() - started).toBeLessThan(1000)
    await expect(hung).rejects.toThrow()
    await server.close() // idempotent
  })

  it('a client aborting mid-upload does not crash the server', async () => {
    const server = await start()
    // A body that fails mid-way: the client sends a chunked body and then aborts.
    const controller = new AbortController()
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"username":'))
      },
    })
    const pending = fetch(server.url + '/auth/login', { method: 'POST', body: stream, signal: controller.signal, duplex: 'half' } as RequestInit)
    await new Promise((r) => setTimeout(r, 30))
    controller.abort()
    await expect(pending).rejects.toThrow()
    const res = await fetch(server.url + '/auth/login', { method: 'POST', body: '{"username":"demo","password":"demo"}' })
    expect(res.status).toBe(200)
  })

  it('an /api route the mock does not know, with access: a JSON 404', async () => {
    const server = await start()
    const accessToken = await accessTokenOf(server)
    const res = await fetch(server.url + '/api/nope', { headers: { Authorization: `Bearer ${accessToken}` } })
    expect(res.status).toBe(404)
    expect((await res.json()).error).toBe('not_found')
  })

  it('a body over 1 MiB: a JSON 413, read no further; the server goes on', async () => {
    const server = await start()
    const big = await fetch(server.url + '/auth/login', { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) })
    expect(big.status).toBe(413)
    expect((await big.json()).error).toBe('payload_too_large')
    const declared = await rawRequest(server, '/api/echo', 'POST', { 'Content-Length': String(2 ** 30) })
    expect(declared.status).toBe(413)
    const echo = await fetch(server.url + '/auth/login', { method: 'POST', body: '{"username":"demo","password":"demo"}' })
    expect(echo.status).toBe(200)
  })

  it('control routes refuse a Host that is not this server (DNS rebinding), JSON 403', async () => {
    const server = await start()
    const rebound = await rawRequest(server, '/__mock/reset', 'POST', { Host: `evil.example:${server.port}` })
    expect(rebound.status).toBe(403)
    expect(JSON.parse(rebound.body).error).toBe('forbidden')
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`])
      expect((await rawRequest(server, '/__mock/reset', 'POST', { Host: host })).status).toBe(200)
  })
})

/** Signs in and returns the access cookie's token (the mock takes it as a bearer token too). */
async function accessTokenOf(server: MockServer): Promise<string> {
  const res = await fetch(server.url + '/auth/login', { method: 'POST', body: '{"username":"demo","password":"demo"}' })
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sc_access='))!
  return cookie.slice('sc_access='.length, cookie.indexOf(';'))
}
