// Parts of the end-to-end run can be skipped locally, by name, only with an explicit flag:
//   SIGV4_E2E_SKIP=deno,bun,workerd,chromium,node,swift,upload,clients
// A skip is always printed, and under CI (CI set) any skip is refused: every part must run there.

export const PARTS = ['node', 'deno', 'bun', 'workerd', 'chromium', 'swift', 'upload', 'clients'] as const;
export type Part = (typeof PARTS)[number];

/** The parts named in SIGV4_E2E_SKIP. Throws for an unknown name, and for any name under CI. */
export function skipList(): Set<Part> {
  const names = (process.env['SIGV4_E2E_SKIP'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(PARTS as readonly string[]).includes(name))
      throw new Error(`SIGV4_E2E_SKIP: unknown part ${JSON.stringify(name)} (known: ${PARTS.join(', ')})`);
  }
  if (names.length > 0 && process.env['CI']) {
    throw new Error(`SIGV4_E2E_SKIP=${names.join(',')} is refused under CI: every part must run there`);
  }
  return new Set(names as Part[]);
}

/** True when `part` is skipped by flag; says so loudly. */
export function skipped(part: Part): boolean {
  if (!skipList().has(part)) return false;
  console.warn(`\n!!! ${part}: SKIPPED by SIGV4_E2E_SKIP\n`);
  return true;
}
