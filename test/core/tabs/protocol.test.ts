import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CORE_SHAPES, parseMessage } from '../../../src/core/tabs/protocol.js'
import { problemWith } from '../../../src/http/result.js'

// The core's shapes plus one a part registers (the idle part's `activity` and `stayActive`).
const SHAPES = { ...CORE_SHAPES, activity: 'at:t', stayActive: 'at:t' }

const credentials = { version: 10, expiresAt: 20, absoluteExpiresAt: null, accessToken: 'tok', user: { id: 1 } }
const valid = [
  { v: 1, from: 'a', type: 'hello' },
  { v: 1, from: 'a', type: 'refreshed', credentials },
  { v: 1, from: 'a', type: 'signedIn', credentials: { version: 1, expiresAt: 2, absoluteExpiresAt: 9 } },
  { v: 1, from: 'a', type: 'signedOut', reason: 'idle', version: 4 },
  { v: 1, from: 'a', type: 'activity', at: 123 },
  { v: 1, from: 'a', type: 'stayActive', at: 0 },
  { v: 1, from: 'a', type: 'refreshing', active: true },
]
const base = { v: 1, from: 'a' }
const malformed: unknown[] = [
  null,
  undefined,
  'hello',
  42,
  [],
  [base],
  {},
  { ...base },
  { v: 2, from: 'a', type: 'hello' },
  { v: '1', from: 'a', type: 'hello' },
  { v: 1, type: 'hello' },
  { v: 1, from: '', type: 'hello' },
  { v: 1, from: 'x'.repeat(65), type: 'hello' },
  { v: 1, from: 7, type: 'hello' },
  { ...base, type: 'goodbye' },
  { ...base, type: '__proto__' },
  { ...base, type: 'activity' },
  { ...base, type: 'activity', at: NaN },
  { ...base, type: 'activity', at: Infinity },
  { ...base, type: 'activity', at: -1 },
  { ...base, type: 'activity', at: '5' },
  { ...base, type: 'activity', at: 1e16 },
  { ...base, type: 'signedOut', reason: 'hacked', version: 1 },
  { ...base, type: 'signedOut', reason: 'logout' },
  { ...base, type: 'signedOut', reason: 'logout', version: -3 },
  { ...base, type: 'refreshing', active: 'yes' },
  { ...base, type: 'refreshed' },
  { ...base, type: 'refreshed', credentials: null },
  { ...base, type: 'refreshed', credentials: { version: 'x', expiresAt: 1, absoluteExpiresAt: null } },
  { ...base, type: 'refreshed', credentials: { version: 1, absoluteExpiresAt: null } },
  { ...base, type: 'refreshed', credentials: { version: 1, expiresAt: 1, absoluteExpiresAt: 'never' } },
  { ...base, type: 'refreshed', credentials: { version: 1, expiresAt: 1, absoluteExpiresAt: null, accessToken: 5 } },
  { ...base, type: 'refreshed', credentials: { version: 1, expiresAt: 1, absoluteExpiresAt: null, accessToken: 'x'.repeat(9000) } },
  { ...base, type: 'state', to: 'b', lastActivity: 1, credentials }, // no such type (a hello is answered with `refreshed`)
  { ...base, type: 'signedIn', credentials: { version: 1 } },
  { ...base, type: 'signedIn', credentials: { ...credentials, expiresAt: -1 } },
  { ...base, type: 'signedIn', credentials: 'version=1' },
  { ...base, type: 'signedIn', credentials: { ...credentials, user: 'y'.repeat(70_000) } },
  { ...base, type: ['hello'] }, // a type that only looks like one (hasOwnProperty stringifies it)
  (() => {
    const cyclic: any = { ...base, type: 'hello' }
    cyclic.self = cyclic
    return cyclic
  })(),
  { ...base, type: 'activity', at: 1, big: 10n },
]

describe('parseMessage', () => {
  it.each(valid.map((m) => [m.type, m]))('accepts a valid %s message', (_, m) => {
    const parsed = parseMessage(m, SHAPES)
    expect(parsed).toEqual(m)
    expect(parsed).not.toBe(m) // a fresh object, never the input
  })

  it(`rejects ${malformed.length} malformed messages without throwing`, () => {
    expect(malformed.length).toBeGreaterThanOrEqual(30)
    malformed.forEach((m, i) => expect(parseMessage(m, SHAPES), `malformed[${i}]`).toBeNull())
  })

  it('drops unknown fields and cannot pollute prototypes', () => {
    const hostile = JSON.parse('{"v":1,"from":"a","type":"signedIn","extra":1,"__proto__":{"polluted":true},"credentials":{"version":1,"expiresAt":2,"absoluteExpiresAt":null,"user":{"__proto__":{"admin":true}}}}')
    const parsed = parseMessage(hostile, SHAPES) as any
    expect(Object.keys(parsed).sort()).toEqual(['credentials', 'from', 'type', 'v'])
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
    expect(Object.getPrototypeOf(parsed.credentials.user)).toBe(Object.prototype)
    expect(parsed.extra).toBeUndefined()
    expect(({} as any).polluted).toBeUndefined()
    expect(({} as any).admin).toBeUndefined()
    expect(parsed.credentials.user.admin).toBeUndefined()
  })

  it('never throws and returns null or a valid message for any input (fast-check)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue(), fc.object()), (input) => {
        const out = parseMessage(input, SHAPES)
        return out === null || (out.v === 1 && typeof out.from === 'string')
      }),
      { numRuns: 2000 },
    )
  })

  it('rejects anything over the size cap', () => {
    expect(parseMessage({ ...base, type: 'activity', at: 1, pad: 'x'.repeat(100) }, SHAPES, 64)).toBeNull()
  })

  it('accepts the largest credentials a tab can adopt (two 8 KiB tokens, a 32 KiB user): what one tab takes, every tab can', () => {
    const largest = { version: 1, expiresAt: 1, absoluteExpiresAt: null, accessToken: 'a'.repeat(8192), refreshToken: 'r'.repeat(8192), user: { bio: 'u'.repeat(32_750) } }
    expect(JSON.stringify(largest.user).length).toBeLessThanOrEqual(32_768)
    expect(problemWith({ expiresIn: 300, ...largest }, true)).toBeNull()
    expect(parseMessage({ ...base, type: 'refreshed', credentials: largest })).not.toBeNull()
    // One byte more of any of them is refused where the result arrives, not dropped by the other tabs.
    expect(problemWith({ expiresIn: 300, accessToken: 'a'.repeat(8193) }, true)).toMatch(/accessToken/)
    expect(problemWith({ expiresIn: 300, accessToken: 'a', user: { bio: 'u'.repeat(32_768) } }, true)).toMatch(/user/)
  })
})
