// The login page: the app's own login call, then session.signIn(result) tells every tab,
// and consumeReturnTo() sends the user back where they were (same-origin paths only).
const session = SessionContinuity.createSession({ use: [SessionContinuity.returnTo()] })
const form = document.getElementById('login')
const params = new URLSearchParams(location.search)
document.getElementById('why').textContent = params.get('reason') ? `You were signed out (${params.get('reason')}).` : ''
document.getElementById('next').textContent = SessionContinuity.toSafeReturnTo(params.get('returnTo'), location.origin) ?? '/'

form.addEventListener('submit', async (event) => {
  event.preventDefault()
  const data = new FormData(form)
  const res = await fetch('/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: data.get('username'), password: data.get('password') }),
  })
  if (!res.ok) {
    document.getElementById('error').textContent = 'Wrong username or password.'
    return
  }
  session.signIn(await res.json())
  location.assign(session.consumeReturnTo('/'))
})
