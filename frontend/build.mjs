// Builds the front-end assets into static_build/ (a Django STATICFILES_DIRS entry):
//
//   static_build/ccc/ccc.css                  frontend/ccc.scss, compressed
//   static_build/nhsuk/nhsuk-frontend.min.js  NHS.UK frontend (an ES module) + its source map
//   static_build/nhsuk/assets/                NHS.UK images, favicons, manifest.json
//
// Run with `npm run build` or scripts/build-frontend. No network access needed.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const nhsukDist = join(root, 'node_modules', 'nhsuk-frontend', 'dist', 'nhsuk')
const out = join(root, 'static_build')

function write(path, contents) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, contents)
  console.log(`  wrote ${relative(root, path)}`)
}

// CSS
const result = sass.compile(join(root, 'frontend', 'ccc.scss'), {
  style: 'compressed',
  sourceMap: false,
  importers: [new sass.NodePackageImporter(root)],
  // Deprecation warnings from inside nhsuk-frontend are not ours to fix.
  quietDeps: true
})
if (/assets\.nhs\.uk|@font-face/.test(result.css)) {
  throw new Error('ccc.css refers to the NHS font CDN: check frontend/ccc.scss settings')
}
write(join(out, 'ccc', 'ccc.css'), result.css + '\n')

// JavaScript: the ES module build, with the source map its last line points at
// (Django's manifest storage fails collectstatic if that map is missing).
mkdirSync(join(out, 'nhsuk'), { recursive: true })
for (const name of ['nhsuk-frontend.min.js', 'nhsuk-frontend.min.js.map']) {
  cpSync(join(nhsukDist, name), join(out, 'nhsuk', name))
  console.log(`  copied static_build/nhsuk/${name}`)
}

// Images, favicons and the web app manifest.
rmSync(join(out, 'nhsuk', 'assets'), { recursive: true, force: true })
cpSync(join(nhsukDist, 'assets'), join(out, 'nhsuk', 'assets'), { recursive: true })
console.log('  copied static_build/nhsuk/assets/')

const version = JSON.parse(readFileSync(join(root, 'node_modules', 'nhsuk-frontend', 'package.json'))).version
console.log(`Built front-end assets (nhsuk-frontend ${version}) into ${relative(process.cwd(), out) || '.'}`)
