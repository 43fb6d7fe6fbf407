// @vitest-environment node
// The contract against the real HTTP server on 127.0.0.1, with the test's cookie jar.
import { startMockServer } from '../../src/mock/index.js'
import { defineContract } from './contract.js'

defineContract('node:http server', async (options) => {
  const server = await startMockServer(options)
  return { origin: server.url, control: server.control, close: () => server.close() }
})
