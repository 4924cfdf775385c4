// Builds the minio-go client program (test/e2e/clients/minio/main.go) offline, from Debian's packages only:
// `golang-go` and `golang-github-minio-minio-go-v7-dev` (with its Debian dependencies), which install the
// sources under /usr/share/gocode. GOPATH mode (GO111MODULE=off) against that tree, GOPROXY=off: nothing is
// fetched. The binary is cached under node_modules/.cache, keyed by the program's source and the Go and
// minio-go versions, so a second run builds nothing; Go's build cache sits next to it.
//
//   npx tsx test/e2e/clients/minio-build.ts    builds if needed, prints the binary's path and the versions

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { debianVersion } from './run.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SOURCE = join(import.meta.dirname, 'minio');
const GOPATH = '/usr/share/gocode';
const MINIO_PACKAGE = 'golang-github-minio-minio-go-v7-dev';

export interface MinioBuild {
  readonly binary: string;
  /** `go version` (e.g. go1.19.8), the Debian package versions. */
  readonly go: string;
  readonly minioGo: string;
  readonly golangGo: string;
  /** Milliseconds spent building (0 when cached). */
  readonly buildMs: number;
}

const goEnv = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GO')) env[k] = v;
  return {
    ...env,
    GO111MODULE: 'off',
    GOPATH,
    GOPROXY: 'off',
    GOFLAGS: '',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
    GOCACHE: join(ROOT, 'node_modules', '.cache', 'sigv4-go-build'),
  };
};

/** The built program, building it first when the cache has none for this source and these versions. */
export function minioBinary(): MinioBuild {
  const minioGo = debianVersion(MINIO_PACKAGE);
  const golangGo = debianVersion('golang-go');
  if (!minioGo || !golangGo || !existsSync(join(GOPATH, 'src/github.com/minio/minio-go/v7/api.go'))) {
    throw new Error(
      `minio-go needs Debian's golang-go and ${MINIO_PACKAGE} (apt-get install --no-install-recommends golang-go ${MINIO_PACKAGE}; .ci/e2e.sh installs them)`,
    );
  }
  const go = execFileSync('go', ['env', 'GOVERSION'], { env: goEnv(), encoding: 'utf8' }).trim();
  const key = createHash('sha256')
    .update(readFileSync(join(SOURCE, 'main.go')))
    .update(`\0${go}\0${golangGo}\0${minioGo}`)
    .digest('hex')
    .slice(0, 16);
  const dir = join(ROOT, 'node_modules', '.cache', 'sigv4-minio-go', key);
  const binary = join(dir, 'minio-e2e');
  if (existsSync(binary)) return { binary, go, minioGo, golangGo, buildMs: 0 };
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const partial = `${binary}.${process.pid}`;
  execFileSync('go', ['build', '-trimpath', '-o', partial, '.'], {
    cwd: SOURCE,
    env: goEnv(),
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 600_000,
  });
  renameSync(partial, binary); // whole or absent: a concurrent or interrupted build never leaves half a binary
  return { binary, go, minioGo, golangGo, buildMs: Date.now() - started };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const build = minioBinary();
  console.log(
    `minio-go ${build.minioGo} (Debian ${MINIO_PACKAGE}), ${build.go} (Debian golang-go ${build.golangGo}): ` +
      `${build.buildMs ? `built in ${(build.buildMs / 1000).toFixed(1)} s` : 'cached'}, ${build.binary}`,
  );
}
