// @vitest-environment happy-dom
// A page (the config's http://app.test/start): relative URLs resolve against it, and msw
// bypasses happy-dom's own fetch and cookie store, so the handlers' jar still does the work.
import { defineSessionFlow } from './session-flow.js'

defineSessionFlow('happy-dom', () => location.origin, true)
