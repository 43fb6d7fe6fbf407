import { DEV } from './dev.js'
export const f = (x: string) => { if (!x) throw new Error(DEV ? 'long message here' : 'E') }
