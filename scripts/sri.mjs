// Subresource Integrity for the script-tag bundles: sha384 of each IIFE file in dist/, printed
// with the pinned <script> tag and written to dist/sri.json (shipped in the package, so the
// hash of a published version can be read from the CDN next to the file itself).
// scripts/build.mjs writes it after every build; `npm run sri` prints it; scripts/size.mjs may
// call `sri()` directly.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const IIFE_FILES = ['dist/session-continuity.iife.min.js', 'dist/session-continuity.iife.js']

/** `sha384-<base64>` of a file's bytes, as the `integrity` attribute wants it. */
export const integrityOf = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`

/**
 * Hashes both IIFE files of the current dist/ and writes dist/sri.json:
 * `{ name, version, files: { [path]: { integrity, bytes, url } } }`. Returns that object.
 */
export function sri({ root = fileURLToPath(new URL('..', import.meta.url)), write = true } = {}) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const files = {}
  for (const file of IIFE_FILES) {
    const path = join(root, file)
    if (!existsSync(path)) throw new Error(`sri: ${file} is missing (run npm run build first)`)
    const bytes = readFileSync(path)
    files[file] = { integrity: integrityOf(bytes), bytes: bytes.length, url: `https://unpkg.com/${pkg.name}@${pkg.version}/${file}` }
  }
  const result = { name: pkg.name, version: pkg.version, files }
  if (write) writeFileSync(join(root, 'dist/sri.json'), JSON.stringify(result, null, 2) + '\n')
  return result
}

/** The pinned script tag for one of the files. */
export const scriptTag = ({ integrity, url }) => `<script src="${url}"\n        integrity="${integrity}"\n        crossorigin="anonymous"></script>`

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let result
  try {
    result = sri()
  } catch (error) {
    console.error(error.message)
    process.exit(1)
  }
  for (const [file, entry] of Object.entries(result.files)) console.log(`${entry.integrity}  ${file} (${entry.bytes} B)`)
  const [production, development] = IIFE_FILES.map((f) => result.files[f])
  console.log(`\nproduction (${result.name}@${result.version}, as built now):\n${scriptTag(production)}`)
  console.log(`\ndevelopment (full error messages and option checks):\n${scriptTag(development)}`)
  console.log('\nwritten: dist/sri.json')
}
