// @vitest-environment node
// No document, no location: the handlers' jar and mock.fetch's http://localhost stand in.
import { defineSessionFlow } from './session-flow.js'

defineSessionFlow('node', () => 'http://localhost', false)
