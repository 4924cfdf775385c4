// Finds a Python whose boto3 sends aws-chunked uploads (boto3 >= 1.36 over https). Debian bookworm's
// python3-boto3 is 1.26 (plain bodies); the machine image has a newer boto3 in its pyenv Python, which is the
// `python3` first on the PATH. Looked for, in order: $SIGV4_E2E_BOTO3_PYTHON, `python3` on the PATH (resolved to
// the interpreter itself, not a pyenv shim), then /root/.pyenv/versions/*/bin/python3.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const BOTO3_CHUNKED_MINIMUM = '1.36.0';

export interface Boto3Python {
  /** The interpreter's path (sys.executable). */
  readonly python: string;
  readonly boto3: string;
  readonly botocore: string;
  readonly pythonVersion: string;
}

const newer = (version: string, minimum: string): boolean => {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
};

function probe(python: string): Boto3Python | undefined {
  try {
    const out = execFileSync(
      python,
      [
        '-c',
        'import sys, json, boto3, botocore; print(json.dumps([sys.executable, boto3.__version__, botocore.__version__, sys.version.split()[0]]))',
      ],
      { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const [exe, boto3, botocore, pythonVersion] = JSON.parse(out) as [string, string, string, string];
    return { python: exe, boto3, botocore, pythonVersion };
  } catch {
    return undefined;
  }
}

/** The first Python with boto3 >= 1.36, or a sentence saying what was looked at and found. */
export function findBoto3Python(): Boto3Python | string {
  const candidates: string[] = [];
  const named = process.env['SIGV4_E2E_BOTO3_PYTHON'];
  if (named) candidates.push(named);
  candidates.push('python3');
  const pyenv = '/root/.pyenv/versions';
  if (existsSync(pyenv))
    for (const v of readdirSync(pyenv).sort().reverse()) candidates.push(join(pyenv, v, 'bin', 'python3'));
  const seen: string[] = [];
  for (const candidate of candidates) {
    const found = probe(candidate);
    if (!found) {
      seen.push(`${candidate}: no boto3`);
      continue;
    }
    if (found.python === '/usr/bin/python3' && candidate !== named) {
      seen.push(`${candidate}: Debian's python (boto3 ${found.boto3})`);
      continue;
    }
    if (newer(found.boto3, BOTO3_CHUNKED_MINIMUM) && newer(found.botocore, BOTO3_CHUNKED_MINIMUM)) return found;
    seen.push(`${candidate}: boto3 ${found.boto3}, botocore ${found.botocore}`);
  }
  return `no Python with boto3 >= ${BOTO3_CHUNKED_MINIMUM} (looked at ${seen.join('; ')})`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const found = findBoto3Python();
  if (typeof found === 'string') {
    console.log(`!!! boto3 (https): ${found}`);
    process.exitCode = 1;
  } else {
    console.log(`boto3 ${found.boto3}, botocore ${found.botocore} (python ${found.pythonVersion}, ${found.python})`);
  }
}
