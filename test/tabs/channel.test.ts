import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTabChannel } from '../../src/tabs/channel.js'
import type { TabChannel } from '../../src/core/types.js'

let open: TabChannel[] = []
afterEach(() => {
  open.forEach((c) => c.close())
  open = []
})
const channel = (name = 'test-channel') => {
  const c = createTabChannel(name)!
  open.push(c)
  return c
}
const received = (c: TabChannel) =>
  new Promise<unknown>((resolve) => {
    const off = c.subscribe((m) => (off(), resolve(m)))
  })

describe('createTabChannel over BroadcastChannel', () => {
  it('delivers validated messages to other channels of the same name only', async () => {
    const [a, b, other] = [channel(), channel(), channel('another-name')]
    const seenByOther = vi.fn()
    other.subscribe(seenByOther)
    const got = received(b)
    a.post({ v: 1, from: 'a', type: 'activity', at: 5 })
    expect(await got).toEqual({ v: 1, from: 'a', type: 'activity', at: 5 })
    expect(seenByOther).not.toHaveBeenCalled()
  })

  it('drops malformed messages and isolates a throwing handler', async () => {
    const [a, b] = [channel(), channel()]
    const errors: unknown[] = []
    const onError = (e: unknown) => errors.push(e)
    process.on('uncaughtException', onError)
    b.subscribe(() => {
      throw new Error('handler bug')
    })
    const seen: unknown[] = []
    b.subscribe((m) => seen.push(m))
    a.post({ v: 1, from: 'a', type: 'activity', at: -1 }) // malformed: dropped
    a.post({ v: 1, from: 'a', type: 'hello' })
    await vi.waitFor(() => expect(seen).toEqual([{ v: 1, from: 'a', type: 'hello' }]))
    await new Promise((r) => setTimeout(r, 10))
    process.off('uncaughtException', onError)
    expect(String(errors[0])).toContain('handler bug')
  })

  it('falls back to the storage channel when a BroadcastChannel cannot be opened', () => {
    vi.stubGlobal('BroadcastChannel', function () {
      throw new DOMException('opaque origin', 'SecurityError')
    })
    const writes: string[] = []
    const storage = { setItem: (_k: string, v: string) => writes.push(v), removeItem: () => {}, getItem: () => null } as unknown as Storage
    const c = createTabChannel('x', storage)!
    c.post({ v: 1, from: 'a', type: 'hello' })
    expect(JSON.parse(writes[0]!).m).toEqual({ v: 1, from: 'a', type: 'hello' })
    c.close()
    vi.unstubAllGlobals()
  })

  it('an uncloneable message is dropped, not thrown', () => {
    expect(() => channel().post({ v: 1, from: 'a', type: 'hello', fn: () => {} })).not.toThrow()
  })

  it('post after close is a no-op', () => {
    const a = channel()
    a.close()
    expect(() => a.post({ v: 1, from: 'a', type: 'hello' })).not.toThrow()
  })
})
