// Small pieces of the mock app: JSON replies, option and fault checks, an abortable wait.
import { OptionError } from '../index.js'
import type { RefreshFault } from './types.js'

export type ErrorBody = { error: string; message?: string; reason?: string }

export const json = (body: unknown, status = 200, headers?: Record<string, string>) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers } })
export const fail = (status: number, body: ErrorBody, headers?: Record<string, string>) => json(body, status, headers)
export const methodNotAllowed = (allow: string) => fail(405, { error: 'method_not_allowed', message: `use ${allow}` }, { Allow: allow })

export function abortError(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError')
}

/** Waits `ms` on the global timers looked up now (so fake timers apply), or until `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal))
    const onAbort = () => {
      globalThis.clearTimeout(id)
      reject(abortError(signal))
    }
    const id = globalThis.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export function positive(option: string, value: unknown, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0))
    throw new OptionError(option, allowZero ? 'a finite number >= 0' : 'a finite number > 0', value)
  return value
}

export function validFault(fault: unknown): fault is RefreshFault {
  if (fault === 'network' || fault === 'hang') return true
  if (!fault || typeof fault !== 'object') return false
  const { status, body, retryAfter } = fault as Record<string, unknown>
  return (
    Number.isInteger(status) && (status as number) >= 200 && (status as number) <= 599 &&
    (body === undefined || typeof body === 'string') &&
    (retryAfter === undefined || (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0))
  )
}

/** A status fault as a Response; the body's type is guessed so HTML looks like HTML to the client. */
export function faultResponse(fault: { status: number; body?: string; retryAfter?: number }): Response {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' }
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(Math.ceil(fault.retryAfter))
  // 204/205/304 may not carry a body; the Fetch API throws if given one (the default JSON too).
  if ([204, 205, 304].includes(fault.status)) return new Response(null, { status: fault.status, headers })
  if (fault.body === undefined) return json({ error: 'injected_fault', message: `failNextRefresh(${fault.status})` }, fault.status, headers)
  const text = fault.body.trimStart()
  headers['Content-Type'] = text.startsWith('<') ? 'text/html; charset=utf-8' : /^[[{"]/.test(text) || /^-?\d/.test(text) ? 'application/json' : 'text/plain; charset=utf-8'
  return new Response(fault.body, { status: fault.status, headers })
}
