/**
 * True in development builds. Bundlers replace `process.env.NODE_ENV` (the package's
 * `production` export condition and the minified script-tag bundle have it replaced), so
 * every `DEV ? text : ''` leaves no text in a production bundle.
 */
export const DEV = process.env.NODE_ENV != 'production'
