// The Web platform types that the public declarations name, declared here as empty interfaces so that the package's
// .d.ts files compile in a program without the DOM lib (`lib: ["es2022"]`, no @types/node, `skipLibCheck: false`).
// Types only: this module has no runtime code, and the entries load it with `export type {} from`, which the
// JavaScript output drops.
//
// Each declaration merges with the platform's own, wherever the program has one: the DOM lib, @types/node,
// Deno, Bun and Cloudflare's workers-types all declare these names globally (some as interfaces, some as classes;
// an interface merges with either). An empty interface adds no member, so the platform's type is unchanged and a
// caller gets back exactly the type it passed in (`VerifiedPost.file` is the runtime's Blob, the signal handed to
// `getCredentials` its AbortSignal, `SigningKeyCache.get` resolves to its CryptoKey). Where the program has none,
// the name is an empty type: the declarations compile, and the library's run-time checks still refuse a value of
// the wrong kind with a TypeError.
//
// Why not a local structural type (`interface URLLike { href: string }`) instead: it would change what each
// option accepts, and a value the library hands back (the Blob, the signal, the CryptoKey) would no longer be the
// platform's type, so passing it on to `fetch`, an R2 bucket or `crypto.subtle` would fail to type-check in
// programs with workers-types, whose classes no conditional type can detect.
//
// Adding one: a public type that names another Web global (ReadableStream, Request, …) fails the consumer check
// (.ci/consumers.sh, the `strict-es2022` consumer) until it is declared here. Declare it empty, and with exactly
// the type parameters every platform gives it (`interface ReadableStream<R = any> {}`): merged declarations must
// agree on them.

declare global {
  /** The WHATWG URL class (`url` options). */
  interface URL {}
  /** Query parameters (`query` option). */
  interface URLSearchParams {}
  /** Fetch headers (`headers` options). */
  interface Headers {}
  /** A submitted form (`verifyPresignedPost`'s `form`). */
  interface FormData {}
  /** A file part of a form (`verifyPresignedPost`'s `form` and `VerifiedPost.file`). */
  interface Blob {}
  /** A cancellation signal (the verifiers' `signal`, passed on to `getCredentials`). */
  interface AbortSignal {}
  /** A Web Crypto key (`SigningKeyCache.get`, `createSignature`). */
  interface CryptoKey {}
  interface Request {}
  interface RequestInit {}
  interface Response {}
  // Generic as the platform declares them (merged declarations must have the same type parameters).
  interface ReadableStream<R = any> {}
  interface TransformStream<I = any, O = any> {}
}

export {};
