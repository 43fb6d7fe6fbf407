// Strings only each part has (message types, storage keys, entry names): a bundle that has one
// carries that part. Shared by the tree-shaking test (sources) and the size check (the
// single-file production build, where a module-level statement with side effects would keep
// an unused part's code alive even though the sources tree-shake).
export const PART_MARKS = {
  idle: ['"activity"', 'stayActive', 'pointermove', 'dismissOnActivity'],
  returnTo: [':returnTo', 'replaceState', 'returnTo.'],
  storageFallback: [':msg', '"storage"', 'owner'],
  diagnostics: ['lockGranted', 'onTimeline'],
}

/** The marks of parts other than `keep` that `code` contains, as "part: mark". */
export const foreignMarks = (code, keep = []) =>
  Object.entries(PART_MARKS).flatMap(([part, marks]) => (keep.includes(part) ? [] : marks.filter((mark) => code.includes(mark)).map((mark) => `${part}: ${mark}`)))
