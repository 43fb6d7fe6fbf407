// The ky adapter's matrix against the newest ky 1 (installed as the alias `ky1`): here the
// module 'ky' is ky 1, for the adapter and the suite alike, as in an app that depends on ky 1.
import ky1 from 'ky1'
import { expect, it, vi } from 'vitest'
import { createSession } from '../../src/index.js'
import { kyHooks } from '../../src/adapters/ky.js'
import { kyReplaySuite } from './ky-replay-suite.js'
import { kySuite } from './ky-suite.js'

vi.mock('ky', () => import('ky1'))

kySuite({ label: 'ky 1.14', convention: 'positional', attempts: (limit) => limit + 1 })
kyReplaySuite('ky 1.14')

it("the module 'ky' is ky 1.14 in this file, and kyHooks type-checks as its hooks", async () => {
  expect((await import('ky')).default).toBe(ky1)
  const session = createSession({ credentials: 'bearer', crossTab: false })
  expect(typeof ky1.create({ hooks: kyHooks(session) }).get).toBe('function')
  session.destroy()
})
