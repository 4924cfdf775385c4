// A doc comment (/** … */) documents the declaration right after it: two stacked on one declaration, or one
// followed by a blank line or another comment, is a doc comment that lost its declaration (TypeScript shows the
// last one only, on whatever comes next). Each happened once in src/verify when functions moved between files.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = resolve(fileURLToPath(new URL('../src', import.meta.url)));
const list = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? list(path) : name.endsWith('.ts') ? [path] : [];
    });

/** Doc comments not followed on the next line by code: `file:line` and what follows them. */
export function strayDocComments(text: string): { line: number; next: string }[] {
  const found: { line: number; next: string }[] = [];
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const after = text.slice(m.index + m[0].length);
    const next = /^[ \t]*\n([^\n]*)/.exec(after)?.[1] ?? after.split('\n')[0]!;
    if (/^\s*(?:$|\/\/|\/\*)/.test(next))
      found.push({ line: text.slice(0, m.index).split('\n').length, next: next.trim() });
  }
  return found;
}

describe('doc comments', () => {
  it('the check finds a stacked and an orphaned doc comment', () => {
    expect(strayDocComments('/** a */\n/** b */\nexport const x = 1;\n')).toEqual([{ line: 1, next: '/** b */' }]);
    expect(strayDocComments('/** a */\n\nexport const x = 1;\n')).toEqual([{ line: 1, next: '' }]);
    expect(strayDocComments('/** a */\n// why\nconst x = 1;\n')).toEqual([{ line: 1, next: '// why' }]);
    expect(strayDocComments('/** a */\nexport const x = 1;\n  /** b */\n  readonly y: string;\n')).toEqual([]);
  });

  it('each doc comment in src/ sits on the declaration after it', () => {
    const stray = list(srcDir).flatMap((file) =>
      strayDocComments(readFileSync(file, 'utf8')).map(
        ({ line, next }) => `${relative(srcDir, file)}:${line} is followed by ${JSON.stringify(next)}`,
      ),
    );
    expect(stray).toEqual([]);
  });
});
