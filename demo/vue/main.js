// Vue demo: the plugin and composables over one session, against the mock server.
import { createApp, defineComponent, h, ref, watch } from 'vue'
import { createSession, idle, returnTo } from 'session-continuity'
import { sessionPlugin, useIdleWarning, useSession } from 'session-continuity/vue'

const session = createSession({ loginUrl: '/login.html', refreshBefore: 5_000, use: [idle({ timeout: 30_000, warnBefore: 10_000 }), returnTo()] })
session.on('signedOut', ({ reason }) => (reason === 'logout' ? location.assign('/login.html') : session.redirectToLogin()))

const WarningDialog = defineComponent({
  setup() {
    const { showing, remainingMs, stayActive } = useIdleWarning()
    const dialog = ref(null)
    watch(showing, (open) => (open ? dialog.value.showModal() : dialog.value.close()))
    return () =>
      h('dialog', { ref: dialog }, [
        h('h2', 'Still there?'),
        h('p', ['You will be signed out in ', h('b', { 'data-testid': 'countdown' }, String(Math.ceil(remainingMs.value / 1000))), ' s.']),
        h('button', { onClick: stayActive }, 'Stay signed in'),
      ])
  },
})

const App = defineComponent({
  setup() {
    const state = useSession()
    return () =>
      h('main', { class: 'card' }, [
        h('h1', 'Vue demo'),
        h('dl', [
          h('dt', 'status'),
          h('dd', { 'data-testid': 'status' }, state.value.status),
          h('dt', 'presence'),
          h('dd', { 'data-testid': 'presence' }, state.value.presence),
          h('dt', 'user'),
          h('dd', state.value.user?.name ?? '–'),
        ]),
        h('button', { onClick: () => session.signOut() }, 'Sign out'),
        h(WarningDialog),
      ])
  },
})

session.start().then((s) => s.status === 'signedOut' && (session.saveReturnTo(), session.redirectToLogin()))
createApp(App).use(sessionPlugin, session).mount('#app')
