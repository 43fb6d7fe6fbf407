// What the e2e pages share: a fetch for the session that counts the /api/ calls and the 401s
// the app would have seen, and an event log the tests read (an Error as "Name: message").
window.seen401 = 0
window.apiCalls = 0
window.events = []
window.countingFetch = async (input, init) => {
  const res = await window.fetch(input, init)
  const url = String(input instanceof Request ? input.url : input)
  if (url.includes('/api/')) window.apiCalls++
  if (res.status === 401 && url.includes('/api/')) window.seen401++
  return res
}
window.recordEvents = (session, names) => {
  for (const name of names)
    session.on(name, (payload) =>
      window.events.push({ name, at: Date.now(), payload: JSON.parse(JSON.stringify(payload, (k, v) => (v instanceof Error ? `${v.name}: ${v.message}` : v))) }),
    )
}
