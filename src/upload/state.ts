// What a page keeps to resume an upload after a reload: the upload's id and plan, under a name made from the
// handler, the key and the file (name, size, last modified, type), in `localStorage` or a store of the caller's.
// The parts already uploaded are not kept: ListParts tells them, from S3 itself.

/** Where the uploader keeps what it needs to resume: `localStorage`'s three methods, or an object with them. */
export interface ResumeStore {
  /** The text saved under `key`, or `null`. */
  getItem(key: string): string | null;
  /** Saves `value` under `key`. */
  setItem(key: string, value: string): void;
  /** Forgets what is saved under `key`. */
  removeItem(key: string): void;
}

/** An upload in progress, as saved for resuming it. */
export interface SavedUpload {
  /** The upload's `UploadId`. */
  readonly uploadId: string;
  /** The part size it was planned with. */
  readonly partSize: number;
  /** When it was created, epoch milliseconds. */
  readonly created: number;
}

/** The name an upload is saved under: the same handler, key and file give the same name after a reload. */
export function stateName(endpoint: string, key: string, file: Blob, type: string): string {
  const { name = '', lastModified = 0 } = file as Blob & { name?: string; lastModified?: number };
  return 'sigv4-upload:' + JSON.stringify([endpoint, key, name, file.size, lastModified, type]);
}

/** The saved upload under `name`, or `undefined` (nothing saved, or what is saved is not one: it is removed). */
export function loadState(store: ResumeStore | null, name: string): SavedUpload | undefined {
  let text: string | null = null;
  try {
    text = store?.getItem(name) ?? null;
  } catch {
    // A store that throws (storage disabled in this page): nothing to resume.
  }
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: removed below.
  }
  const { uploadId, partSize, created } = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  if (
    typeof uploadId === 'string' &&
    uploadId !== '' &&
    Number.isSafeInteger(partSize) &&
    (partSize as number) > 0 &&
    Number.isFinite(created)
  )
    return { uploadId, partSize: partSize as number, created: created as number };
  forgetState(store, name);
  return undefined;
}

/** Saves an upload under `name`; a store that refuses (full, disabled) only costs the resume. */
export function saveState(store: ResumeStore | null, name: string, saved: SavedUpload): void {
  try {
    store?.setItem(name, JSON.stringify(saved));
  } catch {
    // Nothing to do: the upload goes on, it cannot be resumed after a reload.
  }
}

/** Removes what is saved under `name`. */
export function forgetState(store: ResumeStore | null, name: string): void {
  try {
    store?.removeItem(name);
  } catch {
    // As above.
  }
}
