#!/bin/sh
# npm run typecheck: the two programs at once, one per core. tsconfig.json checks src, test, examples and scripts
# with Node's types; tsconfig.build.json checks the core (src without src/cli) with no Node types and
# isolatedDeclarations. Incremental: tsc keeps each program's results by file hash in node_modules/.cache/tsc and
# checks again only what changed and what depends on it (a fresh clone checks everything).
cache=node_modules/.cache/tsc
node_modules/.bin/tsc -p tsconfig.build.json --noEmit --incremental --tsBuildInfoFile "$cache/tsconfig.build.tsbuildinfo" &
core=$!
node_modules/.bin/tsc -p tsconfig.json --noEmit --incremental --tsBuildInfoFile "$cache/tsconfig.tsbuildinfo"
all=$?
wait "$core" || exit
exit "$all"
