// DOM activity signals. Passive listeners whose handler only reports a timestamp: the
// tracker stores it (O(1)); no timer is touched per event.

/** Listens for `events`; returns a function that removes every listener it added. */
export function listenForActivity(events: readonly string[], target: EventTarget | null, onActivity: () => void): () => void {
  if (typeof document === 'undefined') return () => {}
  const removers: Array<() => void> = []
  const add = (t: EventTarget, type: string, fn: () => void) => {
    const opts = { passive: true, capture: true }
    t.addEventListener(type, fn, opts)
    removers.push(() => t.removeEventListener(type, fn, opts))
  }
  for (const type of events) {
    if (type === 'visibilitychange') add(document, type, () => document.visibilityState === 'visible' && onActivity())
    // focus does not bubble to document; the window gets it when the tab is focused.
    else if (type === 'focus' && !target) add(window, type, onActivity)
    else add(target ?? document, type, onActivity)
  }
  return () => removers.splice(0).forEach((remove) => remove())
}
