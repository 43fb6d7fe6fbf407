// session-continuity/mock: the matching mock server. The framework-free app and the HTTP
// server need nothing else; `createMockHandlers` needs msw (an optional peer dependency).
export { createMockApp, DEFAULT_USERS, REFRESH_COOKIE, ACCESS_COOKIE } from './app.js'
export { createMockHandlers, DEFAULT_MOCK_ORIGIN } from './handlers.js'
export type { MockHandlers, MockHandlersOptions } from './handlers.js'
export { startMockServer } from './server.js'
export type { MockServer, MockServerOptions } from './server.js'
export type { HandleContext, MockApp, MockControl, MockCounters, MockOptions, MockUser, RefreshFault } from './types.js'
