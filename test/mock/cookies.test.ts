// @vitest-environment node
// The mock's hand-written cookie code (src/mock/cookies.ts ships in the package, which has no
// runtime dependencies) checked against the `cookie` package, a devDependency here: whatever
// the mock writes, `cookie` reads the same way, and the mock reads what `cookie` writes as
// `cookie` itself does.
import { parseCookie, parseSetCookie as referenceParseSetCookie, stringifySetCookie } from 'cookie'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCookieHeader, parseSetCookie, serializeCookie, type CookieAttributes } from '../../src/mock/cookies.js'

const TOKEN = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".split('')
// RFC 6265 cookie-octets, less '%' (`cookie` URL-decodes values; the mock keeps them raw) and
// less a leading/trailing '"' (the mock unquotes a quoted value).
const OCTETS = "!#$&'()*+-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~".split('')
const name = fc.array(fc.constantFrom(...TOKEN), { minLength: 1, maxLength: 12 }).map((c) => c.join(''))
const value = fc.array(fc.constantFrom(...OCTETS), { maxLength: 24 }).map((c) => c.join(''))
const path = fc.array(fc.constantFrom(...'abc/-_'.split('')), { maxLength: 10 }).map((c) => '/' + c.join(''))
const attributes: fc.Arbitrary<CookieAttributes> = fc.record(
  {
    path,
    maxAge: fc.oneof(fc.integer({ min: 0, max: 10 ** 9 }), fc.double({ min: 0, max: 10 ** 6, noNaN: true })),
    httpOnly: fc.boolean(),
    secure: fc.boolean(),
    sameSite: fc.constantFrom('Strict' as const, 'Lax' as const, 'None' as const),
  },
  { requiredKeys: [] },
)
const space = fc.constantFrom('', ' ', '  ', '\t')

describe('mock cookies against the cookie package', () => {
  it('serializeCookie: `cookie` parses back the same name, value and attributes', () => {
    fc.assert(
      fc.property(name, value, attributes, (n, v, a) => {
        const parsed = referenceParseSetCookie(serializeCookie(n, v, a))
        expect(parsed).toEqual({
          name: n,
          value: v,
          ...(a.path ? { path: a.path } : {}),
          ...(a.maxAge !== undefined ? { maxAge: Math.floor(a.maxAge) } : {}),
          ...(a.httpOnly ? { httpOnly: true } : {}),
          ...(a.secure ? { secure: true } : {}),
          ...(a.sameSite ? { sameSite: a.sameSite.toLowerCase() } : {}),
        })
      }),
    )
  })

  it('parseSetCookie reads what `cookie` writes the way `cookie` reads it', () => {
    fc.assert(
      fc.property(name, value, attributes, (n, v, a) => {
        const text = stringifySetCookie(n, v, {
          ...a,
          maxAge: a.maxAge === undefined ? undefined : Math.floor(a.maxAge),
          sameSite: a.sameSite === undefined ? undefined : (a.sameSite.toLowerCase() as 'lax' | 'strict' | 'none'),
          encode: (s) => s,
        })
        const mine = parseSetCookie(text)!
        const reference = referenceParseSetCookie(text, { decode: (s) => s })
        expect(mine).toEqual({
          name: reference.name,
          value: reference.value,
          path: reference.path ?? null,
          maxAge: reference.maxAge ?? null,
          httpOnly: reference.httpOnly ?? false,
          secure: reference.secure ?? false,
          sameSite: reference.sameSite === undefined ? null : expect.stringMatching(new RegExp(`^${reference.sameSite}$`, 'i')),
        })
      }),
    )
  })

  it('parseCookieHeader matches `cookie` on Cookie headers, the first of a repeated name included', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value, space, space), { maxLength: 8 }), (pairs) => {
        const header = pairs.map(([n, v, before, after]) => `${before}${n}=${v}${after}`).join(';')
        expect({ ...parseCookieHeader(header) }).toEqual({ ...parseCookie(header, { decode: (s) => s }) })
      }),
    )
  })

  it('where the two differ on purpose: the mock unquotes a quoted value and skips a pair with no name', () => {
    expect(parseCookieHeader('a="x"; =y').a).toBe('x')
    expect(parseCookie('a="x"').a).toBe('"x"')
    expect(Object.keys(parseCookieHeader('=y; b=1'))).toEqual(['b'])
  })
})
