import { mount } from '@vue/test-utils'
import { defineComponent, h, nextTick } from 'vue'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSession, idle, type Session } from '../../src/index.js'
import { sessionPlugin, useIdleWarning, useSession } from '../../src/adapters/vue.js'

let sessions: Session[] = []
afterEach(() => {
  sessions.forEach((s) => s.destroy())
  sessions = []
  vi.useRealTimers()
})
function make() {
  const session = createSession({ crossTab: false, fetch: async () => Response.json({ expiresIn: 3600 }), use: [idle({ timeout: 60_000, warnBefore: 10_000 })] })
  sessions.push(session)
  let live = 0
  const subscribe = session.subscribe
  session.subscribe = (l) => {
    live++
    const off = subscribe(l)
    return () => (live--, off())
  }
  return { session, live: () => live }
}

const Status = defineComponent({
  setup() {
    const state = useSession()
    const warning = useIdleWarning()
    return () => h('div', [h('p', { id: 'status' }, state.value.status), warning.showing.value ? h('button', { onClick: warning.stayActive }, `${Math.ceil(warning.remainingMs.value / 1000)} s`) : null])
  },
})

describe('session-continuity/vue', () => {
  it('provides readonly state that follows the session', async () => {
    const { session } = make()
    const wrapper = mount(Status, { global: { plugins: [[sessionPlugin, session]] } })
    expect(wrapper.find('#status').text()).toBe('unknown')
    session.signIn({ expiresIn: 3600 })
    await nextTick()
    expect(wrapper.find('#status').text()).toBe('authenticated')
    wrapper.unmount()
  })

  it('counts down while the warning shows; stayActive dismisses; unmount removes subscriptions and timers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    const { session, live } = make()
    session.signIn({ expiresIn: 3600 })
    const timersBefore = vi.getTimerCount()
    const wrapper = mount(Status, { global: { plugins: [[sessionPlugin, session]] } })
    expect(live()).toBe(2)
    vi.advanceTimersByTime(50_000)
    await nextTick()
    expect(wrapper.find('button').text()).toBe('10 s')
    vi.advanceTimersByTime(4_000)
    await nextTick()
    expect(wrapper.find('button').text()).toBe('6 s')
    await wrapper.find('button').trigger('click')
    expect(wrapper.find('button').exists()).toBe(false)
    wrapper.unmount()
    expect(live()).toBe(0)
    expect(vi.getTimerCount()).toBe(timersBefore)
  })

  it('explains a missing plugin', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(() => mount(Status)).toThrow(/sessionPlugin/)
  })

  it('useSession takes a selector, as the React hook does; useIdleWarning counts down on the session clock', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    // The session's clock runs 1,000 s ahead of Date.now(): a countdown read from Date.now() would be off by that.
    const session = createSession({ crossTab: false, now: () => Date.now() + 1_000_000, fetch: async () => Response.json({ expiresIn: 3600 }), use: [idle({ timeout: 60_000, warnBefore: 10_000 })] })
    sessions.push(session)
    let status: any
    let warning: any
    const App = defineComponent({
      setup() {
        status = useSession((s) => s.status, session)
        warning = useIdleWarning(session)
        return () => h('p', status.value)
      },
    })
    const wrapper = mount(App)
    expect(status.value).toBe('unknown')
    await session.start()
    await nextTick()
    expect(wrapper.text()).toBe('authenticated')
    await vi.advanceTimersByTimeAsync(51_000)
    expect(warning.showing.value).toBe(true)
    expect(warning.remainingMs.value).toBeGreaterThan(8_000)
    expect(warning.remainingMs.value).toBeLessThanOrEqual(9_000)
    await vi.advanceTimersByTimeAsync(3_000)
    expect(warning.remainingMs.value).toBeLessThanOrEqual(6_000)
    wrapper.unmount()
  })
})
