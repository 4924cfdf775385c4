// The last step of `npm run build`: puts Deno's `@ts-self-types` pragma at the top of every dist/**/*.js that has a
// declaration file next to it, so Deno type-checks a program that imports the package's files by path or URL
// (`import … from 'https://…/dist/index.js'`) against the .d.ts files, as Node and bundlers do through `exports`.
// Without it Deno infers types from the JavaScript: options become `any`, and each re-export of a type
// (`export type { Credentials } from './core/credentials.js'`) is an error, since the .js file has no such export.
// Every file gets one, not only the entries: a .d.ts imports its neighbours by their .js names, and Deno reads
// those as JavaScript too unless they name their declarations.
//
// The pragma is a new first line, so each source map (.js.map) gets an empty first line too (a leading `;` in
// `mappings`) and keeps pointing at the right lines of src/. Running it twice changes nothing.
//
//   tsx scripts/self-types.ts [dir]   dir defaults to dist

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The pragma line for a .js file whose declarations are `dts` (a name in the same folder). */
export const pragma = (dts: string): string => `/* @ts-self-types="./${dts}" */`;

/** Adds the pragma to each .js file under `dir` that has a .d.ts; returns the files changed (relative to dir). */
export function addSelfTypes(dir: string): string[] {
  const changed: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const js = join(entry.parentPath, entry.name);
    const dts = entry.name.replace(/\.js$/, '.d.ts');
    if (!existsSync(join(entry.parentPath, dts))) continue;
    const line = pragma(dts);
    const text = readFileSync(js, 'utf8');
    if (text.startsWith(line + '\n')) continue;
    writeFileSync(js, `${line}\n${text}`);
    const mapFile = `${js}.map`;
    if (existsSync(mapFile)) {
      const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { mappings: string };
      map.mappings = `;${map.mappings}`;
      writeFileSync(mapFile, JSON.stringify(map));
    }
    changed.push(js.slice(dir.length + 1));
  }
  return changed;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = resolve(root, process.argv[2] ?? 'dist');
  const changed = addSelfTypes(dir);
  console.log(`@ts-self-types: ${changed.length} files in ${basename(dir)}/`);
}
