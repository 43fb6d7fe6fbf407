/**
 * Web Storage, or null. Reading `localStorage` itself throws when storage is blocked
 * (SecurityError) and outside browsers (ReferenceError): every caller goes through here.
 */
export function storageOf(kind: 'local' | 'session'): Storage | null {
  try {
    return kind === 'local' ? localStorage : sessionStorage
  } catch {
    return null
  }
}
