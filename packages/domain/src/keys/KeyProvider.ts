/**
 * The keeper of the key-encryption key (REC-1): it wraps the clinics' keys and never hands out its
 * own. A key file by default, a cloud KMS by configuration; sends and reads never reach it, since
 * each clinic's key is unwrapped once per process and kept in memory.
 */
export interface KeyProvider {
  /** The id of the key that {@link wrap} uses now. */
  currentKeyId(): Promise<string>;
  /**
   * Wraps `key` with the current key-encryption key. `context` is bound to the wrapping: the
   * same bytes unwrap only with the same context (a clinic's key cannot pose as another's).
   */
  wrap(key: Uint8Array, context: string): Promise<WrappedKey>;
  /** The key `wrapped` holds; throws when its key-encryption key is retired or the context differs. */
  unwrap(wrapped: WrappedKey, context: string): Promise<Uint8Array>;
  /** Makes a new key-encryption key the current one; the earlier ones still unwrap. Answers its id. */
  rotate(): Promise<string>;
  /** Forgets a key-encryption key other than the current one, once nothing is wrapped with it. */
  retire(keyId: string): Promise<void>;
}

/** A key wrapped by a key-encryption key, with the id of that key. */
export interface WrappedKey {
  readonly keyId: string;
  readonly bytes: Uint8Array;
}
