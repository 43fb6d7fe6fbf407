/** Adds a DOM listener; returns the function that removes exactly that listener. */
export function listen(target: EventTarget, type: string, fn: () => void, options?: AddEventListenerOptions): () => void {
  target.addEventListener(type, fn, options)
  return () => target.removeEventListener(type, fn, options)
}
