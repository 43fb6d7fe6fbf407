// npm run demo: the mock server on 127.0.0.1 (a free port unless PORT is set) serving demo/
// and the built bundle. Ctrl-C stops it cleanly.
import { startMockServer } from '../dist/mock.mjs'

const server = await startMockServer({
  port: Number(process.env.PORT) || 0,
  accessTtl: 20,
  idleTtl: 120,
  static: { '/dist/': 'dist', '/react/': 'demo/react/dist', '/vue/': 'demo/vue/dist', '/': 'demo' },
})
console.log(`session-continuity demo: ${server.url}/  (user demo / password demo; Ctrl-C to stop)`)
console.log(`  React: ${server.url}/react/   Vue: ${server.url}/vue/`)
const stop = async () => {
  await server.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
