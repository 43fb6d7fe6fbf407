// React demo: the adapters over one session, against the mock server (npm run demo).
import { useEffect, useRef } from 'react'
import { createRoot } from 'react-dom/client'
import { createSession, idle, returnTo } from 'session-continuity'
import { SessionProvider, useIdleWarning, useSession } from 'session-continuity/react'

const session = createSession({ loginUrl: '/login.html', refreshBefore: 5_000, use: [idle({ timeout: 30_000, warnBefore: 10_000 }), returnTo()] })
session.on('signedOut', ({ reason }) => (reason === 'logout' ? location.assign('/login.html') : session.redirectToLogin()))

function WarningDialog() {
  const { showing, remainingMs, stayActive } = useIdleWarning()
  const dialog = useRef(null)
  useEffect(() => {
    if (showing && !dialog.current.open) dialog.current.showModal()
    if (!showing && dialog.current.open) dialog.current.close()
  }, [showing])
  return (
    <dialog ref={dialog}>
      <h2>Still there?</h2>
      <p>
        You will be signed out in <b data-testid="countdown">{Math.ceil(remainingMs / 1000)}</b> s.
      </p>
      <button onClick={stayActive}>Stay signed in</button>
    </dialog>
  )
}

function App() {
  const status = useSession((s) => s.status)
  const presence = useSession((s) => s.presence)
  const user = useSession((s) => s.user)
  return (
    <main className="card">
      <h1>React demo</h1>
      <dl>
        <dt>status</dt>
        <dd data-testid="status">{status}</dd>
        <dt>presence</dt>
        <dd data-testid="presence">{presence}</dd>
        <dt>user</dt>
        <dd>{user?.name ?? '–'}</dd>
      </dl>
      <button onClick={() => session.signOut()}>Sign out</button>
      <WarningDialog />
    </main>
  )
}

session.start().then((s) => s.status === 'signedOut' && (session.saveReturnTo(), session.redirectToLogin()))
createRoot(document.getElementById('root')).render(
  <SessionProvider session={session}>
    <App />
  </SessionProvider>,
)
