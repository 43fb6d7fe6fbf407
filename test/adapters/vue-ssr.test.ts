// @vitest-environment node
// The Vue composables during server-side rendering: Vue never disposes a component's scope on
// the server, so whatever setup() subscribes there stays subscribed, once per request.
import { createSSRApp, defineComponent, h } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { afterEach, expect, it } from 'vitest'
import { createSession, idle, type Session } from '../../src/index.js'
import { sessionPlugin, useIdleWarning, useSession, useSessionEvent } from '../../src/adapters/vue.js'

let sessions: Session[] = []
afterEach(() => {
  sessions.forEach((s) => s.destroy())
  sessions = []
})

/** A session shared by every request (created once at module scope, as apps do), counting live listeners. */
function make() {
  const session = createSession({ crossTab: false, fetch: async () => Response.json({ expiresIn: 3600 }), use: [idle({ timeout: 60_000, warnBefore: 10_000 })] })
  sessions.push(session)
  let live = 0
  const count = <F extends (...args: any[]) => () => void>(f: F) =>
    ((...args: any[]) => {
      live++
      const off = f(...args)
      return () => (live--, off())
    }) as F
  session.subscribe = count(session.subscribe)
  session.on = count(session.on)
  return { session, live: () => live }
}

const Page = defineComponent({
  setup() {
    const status = useSession((s) => s.status)
    const warning = useIdleWarning()
    useSessionEvent('signedOut', () => {})
    return () => h('p', `${status.value} ${warning.showing.value}`)
  },
})

it('renders the current state on the server and leaves no listener behind, request after request', async () => {
  const { session, live } = make()
  session.signIn({ expiresIn: 3600 })
  for (let request = 0; request < 3; request++) {
    const app = createSSRApp(Page).use(sessionPlugin, session)
    expect(await renderToString(app)).toBe('<p>authenticated false</p>')
  }
  expect(live()).toBe(0)
})
