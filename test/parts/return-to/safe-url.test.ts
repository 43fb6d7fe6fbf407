import { afterEach, describe, expect, it, vi } from 'vitest'
import { toSafeReturnTo } from '../../../src/parts/return-to/safe-url.js'
import { createReturnTo } from '../../../src/parts/return-to/return-to.js'

const origin = 'http://app.test'

const hostile: unknown[] = [
  // Dot segments that resolve to "//host", and encoded controls a next hop may strip.
  '/..//evil.com',
  '/.//evil.com',
  '/a/../..//evil.com',
  '/%2e%2e//evil.com',
  '/%2E//evil.com',
  '/%09/evil.com',
  '/%0a/evil.com',
  '/%0D/evil.com',
  '/%00/evil.com',
  '//evil.com',
  '///evil.com',
  '////evil.com',
  '/\\evil.com',
  '\\\\evil.com',
  '\\/evil.com',
  '/\\/evil.com',
  '///\\evil.com',
  'https://evil.com',
  'http://evil.com/path',
  'HTTP://EVIL.COM',
  'http://app.test@evil.com',
  'http://app.test:80@evil.com/',
  'http://APP.TEST:80@evil.com',
  '//app.test@evil.com',
  '//user:pass@evil.com',
  'https://app.test.evil.com/',
  'http://app.test.evil.com/x',
  'http://app.test:8080/x',
  'https://app.test/x',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'javascript://%0aalert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'https:evil.com',
  'http:/evil.com',
  '/%2F%2Fevil.com',
  '/%2f/evil.com',
  '/%5Cevil.com',
  '/%5c%5cevil.com',
  '%2F%2Fevil.com',
  '/\tevil',
  '/\nevil',
  '/\r\n//evil.com',
  '\u0000/x',
  '/x\u0000',
  '/ /evil.com',
  '  /path',
  '/path ',
  '/.\\evil',
  '//%65vil.com',
  'orders/1',
  '?next=1',
  '#top',
  '',
  '/' + 'a'.repeat(3000),
  null,
  undefined,
  42,
  {},
  ['/ok'],
  // C1 control characters (NEL is whitespace to some servers' `\s`, so "/\x85/evil.com" can become "//evil.com").
  '/\u0085/evil.com',
  '/x\u009b',
  // Compatibility forms that NFKC normalisation (which some servers apply) turns into "/", "\\" or "//".
  '/\uff0f\uff0fevil.com',
  '/\uff0fevil.com',
  '/\uff3cevil.com',
  '\uff0f\uff0fevil.com',
]

const good: Array<[string, string]> = [
  ['/', '/'],
  ['/orders/42?tab=items&sort=-date#line-3', '/orders/42?tab=items&sort=-date#line-3'],
  ['/café/ü?q=日本', '/café/ü?q=日本'],
  ['/a%20b', '/a%20b'],
  ['/path?next=//evil', '/path?next=//evil'],
  ['/search?q=a%2Fb', '/search?q=a%2Fb'],
  ['/x#frag/with/slashes', '/x#frag/with/slashes'],
  ['/deep/link/', '/deep/link/'],
  ['http://app.test/abs?x=1#y', '/abs?x=1#y'],
  ['/%E2%9C%93', '/%E2%9C%93'],
  ['/a/../b', '/a/../b'],
  ['/cafe\u0301/\ufb01le', '/cafe\u0301/\ufb01le'], // NFKC changes it, and the normalised form is as safe: kept as given
]

describe('toSafeReturnTo', () => {
  it(`has at least 40 hostile inputs (${hostile.length})`, () => expect(hostile.length).toBeGreaterThanOrEqual(40))
  it.each(hostile.map((h) => [JSON.stringify(h) ?? String(h), h]))('rejects %s', (_, value) => {
    expect(toSafeReturnTo(value, origin)).toBeNull()
  })
  it.each(good)('keeps %s intact', (value, expected) => {
    expect(toSafeReturnTo(value, origin)).toBe(expected)
  })
})

describe('createReturnTo', () => {
  const make = (storage: 'session' | 'local' | 'none' = 'session') => createReturnTo({ param: 'returnTo', storage, key: 'app:returnTo', loginUrl: '/login' })
  afterEach(() => {
    vi.restoreAllMocks()
    sessionStorage.clear()
    localStorage.clear()
    history.replaceState(null, '', '/start')
    vi.restoreAllMocks()
  })

  it('saves the current URL per tab (sessionStorage) and hands it back exactly once', () => {
    history.replaceState(null, '', '/orders/7?x=1#row')
    const r = make()
    expect(r.save()).toBe('/orders/7?x=1#row')
    expect(sessionStorage.getItem('app:returnTo')).toBe('/orders/7?x=1#row')
    expect(r.consume('/home')).toBe('/orders/7?x=1#row')
    expect(r.consume('/home')).toBe('/home')
  })

  it('never stores an unsafe URL', () => {
    const r = make()
    expect(r.save('//evil.com')).toBeNull()
    expect(sessionStorage.length).toBe(0)
  })

  it('falls back to the query parameter, validated', () => {
    history.replaceState(null, '', '/login?returnTo=%2Finbox%3Fid%3D3')
    expect(make().consume()).toBe('/inbox?id=3')
    history.replaceState(null, '', '/login?returnTo=%2F%2Fevil.com')
    expect(make().consume('/home')).toBe('/home')
  })

  it('an unsafe fallback becomes /', () => {
    expect(make().consume('https://evil.com')).toBe('/')
  })

  it("storage 'local' and 'none'", () => {
    history.replaceState(null, '', '/a')
    make('local').save()
    expect(localStorage.getItem('app:returnTo')).toBe('/a')
    expect(make('none').save('/b')).toBe('/b')
    expect(make('none').peek()).toBeNull()
  })

  it('loginHref appends the parameter to login URLs with or without query and hash', () => {
    history.replaceState(null, '', '/deep?q=1#h')
    expect(make().loginHref()).toBe('/login?returnTo=%2Fdeep%3Fq%3D1%23h')
    const withQuery = createReturnTo({ param: 'next', storage: 'none', key: 'k', loginUrl: '/auth/login?lang=en#form' })
    expect(withQuery.loginHref('/x')).toBe('/auth/login?lang=en&next=%2Fx#form')
    expect(withQuery.loginHref('//evil.com')).toBe('/auth/login?lang=en#form') // an unsafe one is dropped
  })

  it('redirect() assigns the login URL', () => {
    const assign = vi.fn()
    vi.spyOn(window, 'location', 'get').mockReturnValue({ ...window.location, origin, pathname: '/p', search: '', hash: '', assign } as unknown as Location)
    make().redirect('/p')
    expect(assign).toHaveBeenCalledWith('/login?returnTo=%2Fp')
  })

  it('redirect() resolves a relative login URL against the page when a <base href> points elsewhere', () => {
    const assign = vi.fn()
    vi.spyOn(window, 'location', 'get').mockReturnValue({ ...window.location, origin, href: `${origin}/p`, pathname: '/p', search: '', hash: '', assign } as unknown as Location)
    const base = document.createElement('base')
    base.href = 'https://phish.example/'
    document.head.appendChild(base)
    try {
      make().redirect('/p')
      const absolute = createReturnTo({ param: 'returnTo', storage: 'none', key: 'k', loginUrl: 'https://login.example.com/' })
      absolute.redirect('/p')
    } finally {
      base.remove()
    }
    expect(assign.mock.calls).toEqual([[`${origin}/login?returnTo=%2Fp`], ['https://login.example.com/?returnTo=%2Fp']])
  })

  it('storage throwing on access, on setItem and on getItem: query parameter only, nothing throws', () => {
    history.replaceState(null, '', '/login?returnTo=%2Fsafe')
    vi.spyOn(window, 'sessionStorage', 'get').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError')
    })
    const r = make()
    expect(() => r.save('/x')).not.toThrow()
    expect(r.consume('/f')).toBe('/safe')
    vi.restoreAllMocks()
    const fail = () => {
      throw new DOMException('full', 'QuotaExceededError')
    }
    vi.spyOn(window, 'sessionStorage', 'get').mockReturnValue({ setItem: fail, getItem: fail, removeItem: fail } as unknown as Storage)
    expect(() => make().save('/x')).not.toThrow()
    history.replaceState(null, '', '/login?returnTo=%2Fsafe') // consumption dropped it from the URL
    expect(make().consume('/f')).toBe('/safe')
  })

  it('a query-supplied path is handed out once: the parameter leaves the URL (the rest stays), a reload gets the fallback', () => {
    history.replaceState(null, '', '/login?lang=en&returnTo=%2Forders%2F42&x=1#form')
    expect(make().consume('/fallback')).toBe('/orders/42')
    expect(location.pathname + location.search + location.hash).toBe('/login?lang=en&x=1#form')
    expect(make().consume('/fallback')).toBe('/fallback')
    // A history entry (or a reload of a page whose URL still has it) does not hand it out again in this tab.
    history.replaceState(null, '', '/login?returnTo=%2Forders%2F42')
    expect(make().consume('/fallback')).toBe('/fallback')
    // A new trip to the login page (redirect) may hand it out again.
    const assign = vi.fn()
    const r = make()
    vi.spyOn(window, 'location', 'get').mockReturnValue({ ...window.location, origin, pathname: '/orders/42', search: '', hash: '', assign } as unknown as Location)
    r.redirect('/orders/42')
    vi.restoreAllMocks()
    history.replaceState(null, '', '/login?returnTo=%2Forders%2F42')
    sessionStorage.removeItem('app:returnTo') // the query alone (e.g. a link from another tab)
    expect(make().consume('/fallback')).toBe('/orders/42')
  })
})
