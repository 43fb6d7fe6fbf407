export declare const PART_MARKS: Record<'idle' | 'returnTo' | 'storageFallback' | 'diagnostics', string[]>
export declare function foreignMarks(code: string, keep?: string[]): string[]
