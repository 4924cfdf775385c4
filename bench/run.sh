#!/usr/bin/env bash
# Reproduces bench/RESULTS.md: sigv4 against its peers, for speed and for size (issue 4).
#   bash bench/run.sh            (or: cd bench && npm run bench)
# Installs nothing but the pinned peers, with `npm ci`, and only when bench/node_modules is missing or older than
# bench/package-lock.json. Arguments go to throughput.ts (e.g. --rounds 11 for a quicker, noisier run).
# About 3 minutes on 2 cores. Every signer must first presign the S3 documentation example and the odd keys
# identically to sigv4, or it is not timed.
set -euo pipefail
cd "$(dirname "$0")"
# A node_modules that is a symbolic link (a git worktree sharing another checkout's install) is left alone: npm ci
# would empty the folder it points to, under whoever else uses it.
if [ ! -L node_modules ] && { [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  npm ci --no-audit --no-fund
fi
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
mkdir -p results
rm -rf results/*.tmp
node --import tsx throughput.ts "$@"
node --import tsx throughput-v4a.ts
node --import tsx streaming.ts
node --import tsx checksum.ts
node --import tsx sweep.ts
node --import tsx size.ts
node --expose-gc --import tsx verify-load.ts
node --import tsx profile.ts
node --import tsx report.ts
