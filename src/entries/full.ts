// The script-tag bundle (global `SessionContinuity`): everything, as the main entry.
export * from '../index.js'
