#!/usr/bin/env bash
# The package as users install it: build, `npm pack`, check the tarball's contents and links, install it offline
# into a temp folder, then type-check and run it there as TypeScript (lib es2022 alone with strict flags and
# skipLibCheck false; Web globals as classes; bundler with the DOM; nodenext ESM; nodenext CommonJS through
# require(esm); node10), Deno (by name, path and URL), Bun, a Vite build, and the sigv4 command.
# Everything comes from the lockfile's node_modules: no registry, no download. See test/consumers/run.ts.
#   SIGV4_CONSUMERS_KEEP=1 keeps the temp folder; SIGV4_CONSUMERS_JOBS=n runs n consumers at once (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node_modules/.bin/tsx test/consumers/run.ts
