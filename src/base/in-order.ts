/**
 * Delivers items one at a time, in the order they come: an item that arrives while one is
 * being delivered (a listener reacting with a change of its own) waits until that delivery is
 * over, so every listener sees the items in order and the last one it sees is the newest.
 */
export function inOrder<T>(deliver: (item: T) => void): (item: T) => void {
  let queue: T[] | null = null
  return (item) => {
    if (queue) return void queue.push(item)
    queue = [item]
    try {
      for (let i = 0; i < queue.length; i++) deliver(queue[i]!)
    } finally {
      queue = null
    }
  }
}
