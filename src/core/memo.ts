// One-entry memos: a function that remembers its last argument and result.

/**
 * `fn`, remembering its last call: called again with the same argument (`===`), it returns the last result without
 * running `fn`. Signatures come in runs (a server presigning a page of links: one host, one second, one credential
 * scope), so the parts of a request that depend on one of those alone (the origin read from the host, the
 * X-Amz-Date text, the encoded X-Amz-Credential) are computed once per run. One entry, not a cache: it never grows,
 * and a new argument replaces the old one. `fn` must give the same result for the same argument, so that the
 * memory is never seen; a call that throws leaves it as it was.
 */
export function memoLast<A extends string | number, R>(fn: (arg: A) => R): (arg: A) => R {
  let lastArg: A | undefined; // undefined until the first call: an argument never is
  let lastResult!: R;
  return (arg) => {
    if (arg !== lastArg) {
      lastResult = fn(arg);
      lastArg = arg;
    }
    return lastResult;
  };
}
