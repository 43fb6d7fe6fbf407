import { afterEach, describe, expect, it, vi } from 'vitest'
import { LockTimeoutError } from '../../../src/base/errors.js'
import { createWebLock } from '../../../src/core/tabs/lock.js'
import { createLeaseLock } from '../../../src/parts/fallback/lease-lock.js'

/** A small LockManager: exclusive, FIFO per name, AbortSignal withdraws a queued request, query(). */
function fakeLockManager() {
  const queues = new Map<string, Array<() => void>>()
  const held = new Set<string>()
  const manager = {
    request(name: string, optionsOrCb: any, maybeCb?: any): Promise<any> {
      const cb = maybeCb ?? optionsOrCb
      const signal: AbortSignal | undefined = maybeCb ? optionsOrCb.signal : undefined
      return new Promise((resolve, reject) => {
        const queue = queues.get(name) ?? []
        queues.set(name, queue)
        const grant = () => {
          signal?.removeEventListener('abort', onAbort)
          held.add(name)
          Promise.resolve()
            .then(() => cb({ name }))
            .then(resolve, reject)
            .finally(() => {
              held.delete(name)
              queue.shift()
              queue[0]?.()
            })
        }
        const onAbort = () => {
          const i = queue.indexOf(grant)
          if (i > 0) queue.splice(i, 1)
          reject(new DOMException('aborted', 'AbortError'))
        }
        signal?.addEventListener('abort', onAbort, { once: true })
        queue.push(grant)
        if (queue.length === 1) grant()
      })
    },
    query: async () => ({ held: [...held].map((name) => ({ name })), pending: [] }),
  }
  return manager as unknown as LockManager
}

afterEach(() => vi.useRealTimers())

describe('createWebLock', () => {
  it('runs exclusively, in order, and passes results and errors through', async () => {
    const lock = createWebLock(fakeLockManager())!
    const order: string[] = []
    const slow = lock.run('r', async () => {
      order.push('a:start')
      await new Promise((r) => setTimeout(r, 10))
      order.push('a:end')
      return 1
    }, 1000)
    const fast = lock.run('r', async () => (order.push('b'), 2), 1000)
    const failing = lock.run('r', async () => {
      throw new Error('boom')
    }, 1000)
    expect(await slow).toBe(1)
    expect(await fast).toBe(2)
    await expect(failing).rejects.toThrow('boom')
    expect(order).toEqual(['a:start', 'a:end', 'b'])
    expect(await lock.run('r', async () => 'free again', 1000)).toBe('free again')
  })

  it('times out with LockTimeoutError and the withdrawn callback never runs later', async () => {
    const lock = createWebLock(fakeLockManager())!
    const release = await lock.hold!('r')
    const ran = vi.fn()
    await expect(lock.run('r', async () => ran(), 30)).rejects.toBeInstanceOf(LockTimeoutError)
    release()
    await new Promise((r) => setTimeout(r, 20))
    expect(ran).not.toHaveBeenCalled()
  })

  it('hold() keeps a lock until released; held() lists the names', async () => {
    const lock = createWebLock(fakeLockManager())!
    const release = await lock.hold!('app:m:5:r::')
    expect(await lock.held!()).toEqual(['app:m:5:r::'])
    release()
    await new Promise((r) => setTimeout(r, 0))
    expect(await lock.held!()).toEqual([])
  })
})

describe('createLeaseLock (the fallback part, without Web Locks)', () => {
  function memoryStorage() {
    const map = new Map<string, string>()
    return {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    } as unknown as Storage
  }

  it('two tabs sharing storage never run at the same time', async () => {
    const storage = memoryStorage()
    const tabs = [createLeaseLock(storage), createLeaseLock(storage)]
    let inside = 0
    let overlap = false
    const work = async () => {
      inside++
      if (inside > 1) overlap = true
      await new Promise((r) => setTimeout(r, 15))
      inside--
    }
    await Promise.all([tabs[0]!.run('r', work, 2000), tabs[1]!.run('r', work, 2000), tabs[0]!.run('r', work, 2000)])
    expect(overlap).toBe(false)
  })

  it("takes over an expired lease from a crashed tab, and times out while a live lease is held", async () => {
    const storage = memoryStorage()
    storage.setItem('r', JSON.stringify({ owner: 'crashed', until: Date.now() - 1 }))
    const lock = createLeaseLock(storage)
    expect(await lock.run('r', async () => 'taken over', 1000)).toBe('taken over')
    storage.setItem('r', JSON.stringify({ owner: 'alive', until: Date.now() + 60_000 }))
    await expect(lock.run('r', async () => 'never', 120)).rejects.toBeInstanceOf(LockTimeoutError)
  })

  it('without any storage, serialises within the tab', async () => {
    const lock = createLeaseLock(null)
    const order: number[] = []
    await Promise.all([1, 2, 3].map((n) => lock.run('r', async () => void order.push(n), 100)))
    expect(order).toEqual([1, 2, 3])
  })
})
