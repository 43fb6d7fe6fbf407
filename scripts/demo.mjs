// npm run demo: the mock server on 127.0.0.1 (a free port unless PORT is set) serving demo/
// and the built bundle, with this process's PID beside the URL.
// It stops on Ctrl-C (SIGINT), SIGTERM and SIGHUP, and also when npm, which started it, goes
// away: npm runs the script as npm -> sh -c -> node, and neither npm nor sh passes a SIGTERM on
// to node, which would otherwise keep the port after `kill <npm pid>`.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { startMockServer } from '../dist/mock.mjs'

const server = await startMockServer({
  port: Number(process.env.PORT) || 0,
  accessTtl: 20,
  idleTtl: 120,
  static: { '/dist/': 'dist', '/react/': 'demo/react/dist', '/vue/': 'demo/vue/dist', '/': 'demo' },
})
console.log(`session-continuity demo: ${server.url}/  (server pid ${process.pid}; user demo / password demo; Ctrl-C to stop)`)
console.log(`  React: ${server.url}/react/   Vue: ${server.url}/vue/`)

let stopping = false
const stop = async (why) => {
  if (stopping) return
  stopping = true
  console.log(`session-continuity demo: stopping (${why})`)
  await server.close()
  process.exit(0)
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal))

// What to outlive: the parent (sh under npm) and, under npm, npm itself. `kill <npm pid>` makes
// npm end its sh, which re-parents node; `kill -9 <npm pid>` leaves sh waiting on node, so npm's
// pid is watched too.
const parentOf = (pid) => {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]) || 0
  } catch {
    try {
      return Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim()) || 0
    } catch {
      return 0
    }
  }
}
const alive = (pid) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}
const parent = process.ppid
const npm = process.env.npm_lifecycle_event ? parentOf(parent) : 0
setInterval(() => {
  if (process.ppid !== parent) stop(`its parent, process ${parent}, ended`)
  else if (npm > 1 && !alive(npm)) stop(`npm, process ${npm}, ended`)
}, 250).unref() // the interval alone does not keep the process alive; the open server does
