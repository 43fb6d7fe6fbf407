// The ky adapter's matrix against the oldest ky the peer range allows, ky 1.0.0 (installed as
// the alias `ky1.0.0`): here the module 'ky' is ky 1.0.0, for the adapter and the suite alike.
import ky100 from 'ky1.0.0'
import { expect, it, vi } from 'vitest'
import { createSession } from '../../src/index.js'
import { kyHooks } from '../../src/adapters/ky.js'
import { kyReplaySuite } from './ky-replay-suite.js'
import { kySuite } from './ky-suite.js'

vi.mock('ky', () => import('ky1.0.0'))

// ky 1.0.0 sends a failing request retry.limit times in all (later versions: limit + 1).
kySuite({ label: 'ky 1.0.0', convention: 'positional', attempts: (limit) => Math.max(1, limit) })
kyReplaySuite('ky 1.0.0')

it("the module 'ky' is ky 1.0.0 in this file, and kyHooks type-checks as its hooks", async () => {
  expect((await import('ky')).default).toBe(ky100)
  const session = createSession({ credentials: 'bearer', crossTab: false })
  expect(typeof ky100.create({ hooks: kyHooks(session) }).get).toBe('function')
  session.destroy()
})
