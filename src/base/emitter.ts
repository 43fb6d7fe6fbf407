// A tiny typed event emitter. A throwing handler must not stop the others or the session,
// so its error is rethrown asynchronously (reported like an uncaught listener error).
export interface Emitter<M> {
  on<E extends keyof M>(event: E, handler: (payload: M[E]) => void): () => void
  emit<E extends keyof M>(event: E, payload: M[E]): void
  clear(): void
}

export function createEmitter<M>(): Emitter<M> {
  const handlers = new Map<keyof M, Set<(payload: any) => void>>()
  return {
    on(event, handler) {
      let set = handlers.get(event)
      if (!set) handlers.set(event, (set = new Set()))
      set.add(handler)
      return () => void set.delete(handler)
    },
    emit(event, payload) {
      handlers.get(event)?.forEach((handler) => {
        try {
          handler(payload)
        } catch (error) {
          queueMicrotask(() => {
            throw error
          })
        }
      })
    },
    clear: () => handlers.clear(),
  }
}
