import { describe, expect, it } from 'vitest'
import { createSession, idle, OptionError, returnTo } from '../../src/index.js'

const bad: Array<[string, Record<string, unknown>, RegExp]> = [
  ['options not an object', 42 as any, /`options` must be an object/],
  ['unknown option (typo)', { refreshURL: '/x' }, /`refreshURL` must be one of the known options/],
  ['refreshUrl empty', { refreshUrl: '' }, /`refreshUrl` must be a non-empty string/],
  ['logoutUrl number', { logoutUrl: 5 }, /`logoutUrl` must be a non-empty string/],
  ['loginUrl null', { loginUrl: null }, /`loginUrl` must be a non-empty string/],
  ["credentials 'jwt'", { credentials: 'jwt' }, /`credentials` must be 'cookie' or 'bearer'; received "jwt"/],
  ['negative refreshBefore', { refreshBefore: -1 }, /`refreshBefore` must be a finite number of ms >= 0 and <= 2147483647; received -1/],
  // A browser fires a longer timer at once: the lock would "time out" at once and the refresh run unlocked.
  ['lockTimeout beyond what a timer can wait', { lockTimeout: 2 ** 31 }, /`lockTimeout` must be a finite number of ms >= 1 and <= 2147483647; received 2147483648/],
  ['refreshTimeout beyond what a timer can wait', { refreshTimeout: 30 * 86_400_000 }, /`refreshTimeout`/],
  ['logoutTimeout beyond what a timer can wait', { logoutTimeout: 2 ** 32 }, /`logoutTimeout`/],
  ['retry.max beyond what a timer can wait', { retry: { max: 2 ** 31 } }, /`retry.max`/],
  ['NaN refreshBefore', { refreshBefore: NaN }, /`refreshBefore`/],
  ['Infinity refreshTimeout', { refreshTimeout: Infinity }, /`refreshTimeout`/],
  ['zero lockTimeout', { lockTimeout: 0 }, /`lockTimeout` must be a finite number of ms >= 1/],
  ['absoluteWarnBefore of earlier versions', { absoluteWarnBefore: 60 }, /`absoluteWarnBefore` must be passed as a part now: use: \[idle\(/],
  ['tokenOrigins not array', { tokenOrigins: 'https://a.com' }, /`tokenOrigins` must be an array/],
  ['relative tokenOrigins entry', { tokenOrigins: ['/api'] }, /`tokenOrigins\[0\]` must be an absolute http\(s\) origin/],
  ['tokenOrigins with a path', { tokenOrigins: ['https://ok.com', 'https://api.com/v1'] }, /`tokenOrigins\[1\]`/],
  ['tokenOrigins other scheme', { tokenOrigins: ['ftp://files.com'] }, /`tokenOrigins\[0\]`/],
  ['refresh not a function', { refresh: '/auth/refresh' }, /`refresh` must be a function/],
  ['fetch not a function', { fetch: {} }, /`fetch` must be a function/],
  ['now not a function', { now: 0 }, /`now` must be a function/],
  ['timers without clearTimeout', { timers: { setTimeout } }, /`timers` must be an object with setTimeout and clearTimeout/],
  ['crossTab string', { crossTab: 'yes' }, /`crossTab` must be a boolean or/],
  ['returnTo of earlier versions', { returnTo: { param: 'next' } }, /`returnTo` must be passed as a part now: use: \[returnTo\(/],
  ['use not an array', { use: idle({ timeout: 1000 }) }, /`use` must be an array/],
  ['use entry not a part', { use: [() => {}] }, /`use\[0\]` must be a part/],
  ['use entry null', { use: [null] }, /`use\[0\]` must be a part/],
  ['logout not a function', { logout: '/bye' }, /`logout` must be a function/],
  ['replay not a function', { replay: ['GET'] }, /`replay` must be a function/],
  ['negative logoutTimeout', { logoutTimeout: -5 }, /`logoutTimeout` must be a finite number of ms >= 0/],
  ['retry.max below base', { retry: { base: 5000, max: 1000 } }, /`retry.max` must be a finite number of ms >= 5000/],
  ['beforeSignOut not a function', { beforeSignOut: true }, /`beforeSignOut` must be a function/],
  ['name blank', { name: '   ' }, /`name` must be a non-empty string/],
]

describe('createSession validates every option', () => {
  it.each(bad)('%s', (_, options, message) => {
    let error: unknown
    try {
      createSession(options as any)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(OptionError)
    expect((error as Error).message).toMatch(message)
  })

  it('names the option on the error object', () => {
    try {
      createSession({ refreshBefore: -5, crossTab: false })
    } catch (e) {
      expect(e).toMatchObject({ name: 'OptionError', option: 'refreshBefore', received: -5 })
    }
    expect.assertions(1)
  })

  it('accepts the defaults and a full valid set', () => {
    expect(() => createSession({ crossTab: false }).destroy()).not.toThrow()
    const session = createSession({
      refreshUrl: '/r',
      logoutUrl: '/o',
      loginUrl: '/l',
      credentials: 'bearer',
      tokenOrigins: ['https://api.example.com', 'http://localhost:8080/'],
      refreshBefore: 0,
      name: 'app',
      use: [idle({ timeout: 60_000, warnBefore: 10_000, absoluteWarnBefore: 1 }), returnTo({ param: 'next', storage: 'local' })],
      crossTab: false,
      retry: { base: 10, max: 10 },
    })
    expect(session.options).toEqual({ name: 'app', credentials: 'bearer', loginUrl: '/l' })
    session.destroy()
  })

  it("parts validate their own options, named with the part's prefix", () => {
    expect(() => returnTo({ storage: 'cookie' as any })).toThrow(/`returnTo.storage` must be 'session' or 'local' or 'none'/)
    expect(() => returnTo({ param: '' })).toThrow(/`returnTo.param`/)
    expect(() => returnTo({ params: 'x' } as any)).toThrow(/`returnTo.params` must be one of the known options/)
    expect(() => idle({ timeout: 1000, absoluteWarnBefore: '60' as any })).toThrow(/`idle.absoluteWarnBefore`/)
    expect(() => idle({ timeout: 1000, warnbefore: 5 } as any)).toThrow(/`idle.warnbefore` must be one of the known options/)
  })
})
