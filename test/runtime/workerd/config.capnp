# workerd configuration for the runtime matrix: one Worker (the conformance core bundled with dist/), served on a
# socket whose address test/runtime/run-all.ts gives on the command line:
#   workerd serve test/runtime/workerd/config.capnp --socket-addr http=127.0.0.1:PORT
# The bundle is built first by test/runtime/build.ts into node_modules/.cache/sigv4-runtime/worker.mjs.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "conformance", worker = .conformanceWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "conformance") ],
);

const conformanceWorker :Workerd.Worker = (
  modules = [ (name = "worker.mjs", esModule = embed "../../../node_modules/.cache/sigv4-runtime/worker.mjs") ],
  # Web APIs only: no nodejs_compat flag.
  compatibilityDate = "2026-11-01",
);
