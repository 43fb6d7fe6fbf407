// DOM activity signals. Passive listeners whose handler only reports a timestamp: the
// tracker stores it (O(1)); no timer is touched per event.
import { listen } from '../../base/listen.js'

const PASSIVE = { passive: true, capture: true }

/** Listens for `events`; returns a function that removes every listener it added. */
export function listenForActivity(events: readonly string[], target: EventTarget | null, onActivity: () => void): () => void {
  if (typeof document == 'undefined') return () => {} // SSR / Node: nothing to listen to
  const removers = events.map((type) =>
    type == 'visibilitychange'
      ? listen(document, type, () => document.visibilityState == 'visible' && onActivity(), PASSIVE)
      : // focus does not bubble to document; the window gets it when the tab is focused.
        listen(target ?? (type == 'focus' ? window : document), type, onActivity, PASSIVE),
  )
  return () => removers.forEach((remove) => remove())
}
