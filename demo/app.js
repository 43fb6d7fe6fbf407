// The demo app: plain script, the IIFE global, the mock server's fault controls, and the
// diagnostics timeline of this tab (open three tabs and watch one refresh serve them all).
const { createSession, idle, returnTo, diagnostics } = SessionContinuity
const session = createSession({
  loginUrl: '/login.html',
  refreshBefore: 5_000,
  use: [idle({ timeout: 30_000, warnBefore: 10_000 }), returnTo(), diagnostics({ size: 100 })],
})
const $ = (id) => document.getElementById(id)
const log = (text) => {
  const li = document.createElement('li')
  li.textContent = `${new Date().toLocaleTimeString()}  ${text}`
  $('log').prepend(li)
}
let refreshes = 0

session.on('refreshed', ({ source }) => {
  if (source === 'self') $('refreshes').textContent = String(++refreshes)
  log(`refreshed (${source})`)
})
session.on('refreshFailed', ({ transient, error }) => log(`refresh failed (${transient ? 'transient, will retry' : 'session ended'}): ${error.message}`))
session.on('signedIn', ({ source }) => log(`signed in (${source})`))
session.on('warning', ({ reason }) => {
  log(`warning (${reason})`)
  $('warning').showModal()
})
session.on('active', () => {
  log('active')
  if ($('warning').open) $('warning').close()
})
session.on('idle', () => log('idle'))
session.on('signedOut', ({ reason }) => {
  log(`signed out (${reason})`)
  // A forced sign-out saved this URL; the login page brings the user back to it.
  if (reason === 'logout') location.assign('/login.html')
  else session.redirectToLogin()
})

function render() {
  const s = session.getState()
  const now = Date.now()
  $('status').textContent = s.status + (s.refreshing ? ' (refreshing…)' : '')
  $('presence').textContent = s.presence
  $('user').textContent = s.user ? s.user.name : '–'
  $('expires').textContent = s.expiresAt ? `${Math.max(0, Math.round((s.expiresAt - now) / 1000))} s` : '–'
  $('idle').textContent = s.idleAt ? `${Math.max(0, Math.round((s.idleAt - now) / 1000))} s` : '–'
  $('countdown').textContent = String(Math.ceil(session.getRemainingTime() / 1000))
}
session.subscribe(render)
setInterval(render, 250)

// The timeline: every decision of this tab, newest first (no tokens or user data in it).
const describe = ({ what, at, tab, ...detail }) =>
  `${new Date(at).toLocaleTimeString()}  [${tab}] ${what} ${Object.entries(detail).map(([k, v]) => `${k}=${v}`).join(' ')}`
const addEntry = (entry) => {
  const li = document.createElement('li')
  li.textContent = describe(entry)
  $('timeline').prepend(li)
  while ($('timeline').children.length > 100) $('timeline').lastChild.remove()
}
session.timeline().forEach(addEntry)
session.onTimeline(addEntry)

const control = (path, body) =>
  fetch(`/__mock/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) }).then(() => log(`server: ${path}`))

$('call-api').onclick = async () => {
  const res = await session.fetch('/api/me')
  $('api').textContent = `${res.status} ${res.ok ? (await res.json()).user.name : ''}`
}
$('open-tab').onclick = () => window.open(location.href, '_blank')
$('sign-out').onclick = () => session.signOut()
$('stay').onclick = () => session.stayActive()
$('expire').onclick = () => control('expire')
$('fail-503').onclick = () => control('fail-refresh', { fault: { status: 503 } })
$('fail-network').onclick = () => control('fail-refresh', { fault: 'network' })
$('revoke').onclick = () => control('revoke')
$('spend').onclick = () => control('spend')

session.start().then((s) => {
  render()
  if (s.status === 'signedOut') {
    session.saveReturnTo()
    session.redirectToLogin()
  }
})
