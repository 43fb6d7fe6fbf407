// The mock as a real HTTP server on loopback, for the demo and Playwright. It converts
// node:http messages to Fetch Requests and calls the same app as the msw handlers (so it
// never needs msw), and optionally serves static folders. The only Node-only file.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import type { AddressInfo } from 'node:net'
import { OptionError } from '../index.js'
import { createMockApp } from './app.js'
import type { MockControl, MockOptions } from './types.js'

export interface MockServerOptions extends MockOptions {
  /** 0 (default): a free port. */
  port?: number
  /** Loopback only by default: a mock with known passwords has no business on a LAN. */
  host?: string
  /** URL prefix → folder (relative to the working directory), e.g. { '/dist/': 'dist', '/': 'demo' }. Longest prefix wins. */
  static?: Record<string, string>
}

export interface MockServer {
  /** e.g. http://127.0.0.1:51234 (no trailing slash). */
  url: string
  port: number
  control: MockControl
  close(): Promise<void>
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { port = 0, host = '127.0.0.1', static: staticDirs = {}, ...appOptions } = options
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new OptionError('port', 'an integer 0..65535', port)
  if (!staticDirs || typeof staticDirs !== 'object') throw new OptionError('static', 'an object { urlPrefix: directory }', staticDirs)
  const mounts = Object.entries(staticDirs)
    .map(([prefix, dir]) => {
      if (!prefix.startsWith('/') || typeof dir !== 'string') throw new OptionError('static', "prefixes starting with '/' mapped to directory strings", staticDirs)
      return { prefix: prefix.endsWith('/') ? prefix : prefix + '/', root: resolve(dir) }
    })
    .sort((a, b) => b.prefix.length - a.prefix.length)

  const app = createMockApp(appOptions)
  const controlPrefix = `${appOptions.basePath ?? ''}/__mock/`

  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' })
      else res.destroy()
    })
  })

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = `http://${req.headers.host ?? `${host}:${port}`}`
    let url: URL
    try {
      url = new URL(req.url ?? '/', origin)
    } catch {
      return sendJson(res, 400, { error: 'invalid_request', message: 'bad request target' })
    }
    // A Fetch Request refuses TRACE (node:http itself turns CONNECT and TRACK away).
    if (req.method === 'TRACE')
      return sendJson(res, 501, { error: 'not_implemented', message: `${req.method} is not supported` })
    // DNS rebinding: a page on a name of its own, resolved to 127.0.0.1, is same-origin with
    // itself, so only the Host tells it apart. The control routes take IP literals, localhost
    // and the configured host only.
    if (url.pathname.startsWith(controlPrefix) && !trustedHost(url.hostname, host))
      return sendJson(res, 403, { error: 'forbidden', message: `mock control routes refuse Host ${url.hostname}` })
    // The client going away (abort, tab closed) aborts the request, which releases a 'hang'.
    const controller = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) controller.abort()
    })
    const request = await toRequest(req, url, controller.signal)
    if (!request) {
      // Answer at once and drop the connection: the rest of the body is never read.
      res.setHeader('Connection', 'close')
      return sendJson(res, 413, { error: 'payload_too_large', message: `request bodies are limited to ${MAX_BODY} bytes` })
    }
    let response: Response | null
    try {
      response = await app.handle(request)
    } catch (error) {
      if (controller.signal.aborted || (error as Error)?.name === 'AbortError') return void res.destroy()
      throw error
    }
    if (response) return response.type === 'error' ? networkFailure(res) : send(res, response, req.method === 'HEAD')
    if (req.method === 'GET' || req.method === 'HEAD') {
      const file = await findStatic(url.pathname)
      if (file) return sendFile(res, file, req.method === 'HEAD')
    }
    sendJson(res, 404, { error: 'not_found' })
  }

  /** Safe path resolution: the decoded, normalized path must stay inside the mount's root. */
  async function findStatic(pathname: string): Promise<string | null> {
    let decoded: string
    try {
      decoded = decodeURIComponent(pathname)
    } catch {
      return null
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null
    const mount = mounts.find((m) => decoded.startsWith(m.prefix) || decoded + '/' === m.prefix)
    if (!mount) return null
    const relative = decoded.slice(mount.prefix.length)
    let path = resolve(mount.root, '.' + sep + relative)
    if (path !== mount.root && !path.startsWith(mount.root + sep)) return null
    try {
      let info = await stat(path)
      if (info.isDirectory()) {
        path = join(path, 'index.html')
        info = await stat(path)
      }
      return info.isFile() ? path : null
    } catch {
      return null
    }
  }

  const listening = await new Promise<AddressInfo>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolveListen(server.address() as AddressInfo)
    })
  })
  const urlHost = listening.family === 'IPv6' ? `[${listening.address}]` : listening.address
  let closing: Promise<void> | null = null

  return {
    url: `http://${urlHost}:${listening.port}`,
    port: listening.port,
    control: app.control,
    close() {
      closing ??= new Promise<void>((resolveClose) => {
        app.dispose()
        server.close(() => resolveClose())
        // Keep-alive and hung sockets would otherwise hold close() open for seconds.
        server.closeAllConnections()
      })
      return closing
    },
  }
}

/** Request bodies above this are refused (413): the mock's routes take small JSON, and a test harness must not be made to buffer gigabytes. */
const MAX_BODY = 1024 * 1024

const trustedHost = (hostname: string, configured: string) =>
  /^(\d+\.){3}\d+$|^\[.*\]$|^localhost$|\.localhost$/.test(hostname) || hostname === configured.toLowerCase()

/** The node:http message as a Fetch Request, or null when its body is over MAX_BODY. */
async function toRequest(req: IncomingMessage, url: URL, signal: AbortSignal): Promise<Request | null> {
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!
    // Connection-level headers mean nothing to a Fetch Request (and some are rejected by it).
    if (/^(host|connection|keep-alive|transfer-encoding|upgrade|content-length|expect)$/i.test(name)) continue
    try {
      headers.append(name, req.rawHeaders[i + 1]!)
    } catch {
      // A header the Fetch API refuses is dropped rather than crashing the server.
    }
  }
  let body: ArrayBuffer | undefined
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    if (Number(req.headers['content-length']) > MAX_BODY) return null
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > MAX_BODY) return null
      chunks.push(chunk as Buffer)
    }
    const all = Buffer.concat(chunks)
    body = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer
  }
  return new Request(url, { method: req.method, headers, body, signal })
}

async function send(res: ServerResponse, response: Response, head: boolean): Promise<void> {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length) headers['set-cookie'] = cookies
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : null
  if (body && !head) headers['content-length'] = String(body.length)
  res.writeHead(response.status, response.statusText || undefined, headers)
  res.end(head ? undefined : (body ?? undefined))
}

/**
 * Exactly one network failure as a browser sees it. A keep-alive socket destroyed before any
 * byte is written makes browsers silently retry the request, so answer with headers promising
 * 100 bytes, write a few, and only then destroy the socket: the response is truncated, no retry.
 */
function networkFailure(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100', 'Cache-Control': 'no-store' })
  res.write('{"expi', () => res.destroy())
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), 'Cache-Control': 'no-store' })
  res.end(text)
}

async function sendFile(res: ServerResponse, path: string, head: boolean): Promise<void> {
  const data = await readFile(path)
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(data.length),
    // The demo and e2e always want the bundle just built, never a cached one.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  })
  res.end(head ? undefined : data)
}
