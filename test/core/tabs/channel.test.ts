import { afterEach, describe, expect, it, vi } from 'vitest'
import { createBroadcastChannel } from '../../../src/core/tabs/channel.js'
import { connectTabs } from '../../../src/core/tabs/sync.js'
import { CORE_SHAPES } from '../../../src/core/tabs/protocol.js'
import { createStorageChannel } from '../../../src/parts/fallback/storage-channel.js'
import { storageFallback } from '../../../src/parts/fallback/index.js'
import type { TabChannel } from '../../../src/core/types.js'

let open: TabChannel[] = []
afterEach(() => {
  open.forEach((c) => c.close())
  open = []
})
const channel = (name = 'test-channel') => {
  const c = createBroadcastChannel(name)!
  open.push(c)
  return c
}
const received = (c: TabChannel) =>
  new Promise<unknown>((resolve) => {
    const off = c.subscribe((m) => (off(), resolve(m)))
  })

describe('createBroadcastChannel', () => {
  it('delivers messages to other channels of the same name only', async () => {
    const [a, b, other] = [channel(), channel(), channel('another-name')]
    const seenByOther = vi.fn()
    other.subscribe(seenByOther)
    const got = received(b)
    a.post({ v: 1, from: 'a', type: 'activity', at: 5 })
    expect(await got).toEqual({ v: 1, from: 'a', type: 'activity', at: 5 })
    expect(seenByOther).not.toHaveBeenCalled()
  })

  it('the session side drops malformed messages, and a throwing handler does not stop the others', async () => {
    const [a, raw] = [channel(), channel()]
    const b = { subscribe: (h: (m: unknown) => void) => {
      const tabs = connectTabs('test', raw, null, CORE_SHAPES, h as never, false)!
      return () => tabs.close()
    } }
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

  it('is null when a BroadcastChannel cannot be opened, and the fallback part then uses storage events', () => {
    vi.stubGlobal('BroadcastChannel', function () {
      throw new DOMException('opaque origin', 'SecurityError')
    })
    expect(createBroadcastChannel('x')).toBeNull()
    expect(storageFallback().channel!(null, 'x')).not.toBeNull()
    const native = { post() {}, subscribe: () => () => {}, close() {} }
    expect(storageFallback().channel!(native, 'x')).toBe(native)
    const writes: string[] = []
    const storage = { setItem: (_k: string, v: string) => writes.push(v), removeItem: () => {}, getItem: () => null } as unknown as Storage
    const c = createStorageChannel('x', storage)!
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

describe('the channel a part opens', () => {
  it('is closed on destroy even when the app passed channel: null; a channel the app passed stays open', async () => {
    const { createSession } = await import('../../../src/index.js')
    const added = vi.spyOn(window, 'addEventListener')
    const removed = vi.spyOn(window, 'removeEventListener')
    const session = createSession({ refreshUrl: '/auth/refresh', crossTab: { channel: null }, use: [storageFallback()] })
    const storageListener = added.mock.calls.find(([type]) => type == 'storage')?.[1]
    expect(storageListener).toBeTypeOf('function')
    session.destroy()
    expect(removed.mock.calls.some(([type, fn]) => type == 'storage' && fn == storageListener)).toBe(true)

    const mine = { post: vi.fn(), subscribe: () => () => {}, close: vi.fn() }
    createSession({ refreshUrl: '/auth/refresh', crossTab: { channel: mine }, use: [storageFallback()] }).destroy()
    expect(mine.close).not.toHaveBeenCalled()
    added.mockRestore()
    removed.mockRestore()
  })
})
