// The ky adapter's matrix against ky 2 (the devDependency `ky`).
import { kyReplaySuite } from './ky-replay-suite.js'
import { kySuite } from './ky-suite.js'

kySuite({ label: 'ky 2', convention: 'object', attempts: (limit) => limit + 1 })
kyReplaySuite('ky 2')
