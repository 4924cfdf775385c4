// package.json against the repository, without building or packing (.ci/consumers.sh does both, and checks the
// real tarball): every path it names is one the build writes from a source file, every subpath export resolves
// under moduleResolution node10 too (typesVersions), `files` ships everything the shipped Markdown links to, and
// the Node version the README states is the one `engines` requires.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchors, packageTargets, relativeLinks } from './consumers/run.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, { types: string; default: string }>;
  typesVersions: Record<string, Record<string, string[]>>;
  files: string[];
  engines: { node: string };
};

/** Files npm packs whatever `files` says. */
const ALWAYS = ['package.json', 'README.md', 'LICENSE'];

const ships = (path: string): boolean =>
  ALWAYS.includes(path) || pkg.files.some((entry) => path === entry || path.startsWith(`${entry}/`));

function walk(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = posix.join(dir, name);
    return statSync(join(root, path)).isDirectory() ? walk(path) : [path];
  });
}

/** The Markdown files the package ships. `dist/` is built, not committed (a fresh clone has none): it holds no Markdown. */
const shippedMarkdown = [
  'README.md',
  ...pkg.files
    .filter((entry) => entry !== 'dist')
    .flatMap((entry) => (statSync(join(root, entry)).isDirectory() ? walk(entry) : [entry])),
].filter((f) => f.endsWith('.md'));

describe('package.json', () => {
  it('`files` lists plain paths that exist (no globs: this test reads them as npm does)', () => {
    expect(pkg.files).toContain('dist');
    for (const entry of pkg.files) {
      expect(entry, entry).not.toMatch(/[*?[\]{}!]/);
      // dist/ is what the build writes (checked file by file below, and in the tarball by .ci/consumers.sh).
      if (entry === 'dist') continue;
      expect(existsSync(join(root, entry)), `${entry} is in "files" but not in the repository`).toBe(true);
    }
  });

  it('every path it names is built from a source file, and shipped', () => {
    const targets = packageTargets(pkg);
    expect(targets).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/lite.d.ts']));
    for (const target of targets) {
      const match = /^dist\/(.+?)(\.d\.ts|\.js)$/.exec(target);
      expect(match, `${target} is not a file the build writes to dist/`).not.toBeNull();
      const source = `src/${match![1]}.ts`;
      expect(existsSync(join(root, source)), `${target} has no source ${source}`).toBe(true);
      if (match![2] === '.d.ts') expect(source, `${target}: src/cli has no declarations`).not.toMatch(/^src\/cli\//);
      expect(ships(target), `${target} is not in "files"`).toBe(true);
    }
  });

  it('the bin is the command line, and main and types are the "." export', () => {
    expect(pkg.bin).toEqual({ sigv4: './dist/cli/main.js' });
    expect(pkg.main).toBe(pkg.exports['.']!.default);
    expect(pkg.types).toBe(pkg.exports['.']!.types);
  });

  it('typesVersions maps each subpath export to its declarations (moduleResolution node10 reads no exports)', () => {
    const subpaths = Object.entries(pkg.exports).filter(([key]) => key !== '.');
    expect(subpaths.length).toBeGreaterThan(0);
    expect(pkg.typesVersions).toEqual({
      '*': Object.fromEntries(subpaths.map(([key, value]) => [key.slice(2), [value.types]])),
    });
  });

  it('ships every file and anchor its Markdown links to', () => {
    expect(shippedMarkdown).toEqual(expect.arrayContaining(['README.md', 'CHANGELOG.md', 'SECURITY.md']));
    const problems: string[] = [];
    for (const file of shippedMarkdown) {
      for (const link of relativeLinks(readFileSync(join(root, file), 'utf8'))) {
        const [rawPath = '', fragment] = link.split('#', 2) as [string, string | undefined];
        const target = rawPath === '' ? file : posix.join(posix.dirname(file), decodeURIComponent(rawPath));
        const path = target.replace(/\/$/, '');
        if (!existsSync(join(root, path))) problems.push(`${file} links to ${link}: ${path} does not exist`);
        else if (!ships(path)) problems.push(`${file} links to ${link}: package.json "files" does not ship ${path}`);
        else if (fragment && path.endsWith('.md') && !anchors(readFileSync(join(root, path), 'utf8')).has(fragment))
          problems.push(`${file} links to ${link}: ${path} has no heading with that anchor`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('states the Node version `engines` requires, and the Node running the tests satisfies it', () => {
    const minimum = /^>=(\d+)(?:\.0)*$/.exec(pkg.engines.node)?.[1];
    expect(minimum, `engines.node ${pkg.engines.node}: expected >=N`).toBeDefined();
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(Number(minimum));
    // "Node 20+", "Node.js 20 or later", "On Node, version 20 or later": each claim of a lowest version.
    const claim = /\bNode(?:\.js)?,?\s+(?:version\s+)?(\d+)(?:\.\d+)*(?:\+|\s+or\s+(?:later|newer|above))/gi;
    const claims = shippedMarkdown.flatMap((file) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(claim)].map((m) => ({ file, text: m[0], major: m[1]! })),
    );
    const readme = claims.filter((c) => c.file === 'README.md');
    expect(
      readme.map((c) => c.major),
      'README.md states the lowest Node version',
    ).toContain(minimum);
    const below = claims.filter((c) => Number(c.major) < Number(minimum));
    expect(
      below.map((c) => `${c.file}: ${c.text}`),
      `claims below engines ${pkg.engines.node}`,
    ).toEqual([]);
  });
});
