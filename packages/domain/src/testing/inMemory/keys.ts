import type { KeyProvider, WrappedKey } from "../../keys/KeyProvider";

/**
 * A {@link KeyProvider} that keeps every wrapped key in memory: a wrapping is an opaque handle
 * (never the key's bytes), so a test that loses the handle, or the key-encryption key it names,
 * loses the key, as with a real provider.
 */
export function inMemoryKeyProvider(): KeyProvider {
  let generation = 1;
  let handles = 0;
  const live = new Set<string>(["kek-1"]);
  const wrapped = new Map<string, { key: Uint8Array; context: string; keyId: string }>();
  // Handles are ASCII: one byte per character, without the platform's text codecs (a pure package).
  const handleOf = (bytes: Uint8Array) => String.fromCharCode(...bytes);
  return {
    async currentKeyId() {
      return `kek-${generation}`;
    },
    async wrap(key, context): Promise<WrappedKey> {
      const keyId = `kek-${generation}`;
      handles += 1;
      const handle = `${keyId}/${handles}`;
      wrapped.set(handle, { key: Uint8Array.from(key), context, keyId });
      return { keyId, bytes: Uint8Array.from(handle, (char) => char.charCodeAt(0)) };
    },
    async unwrap(entry, context) {
      const found = wrapped.get(handleOf(entry.bytes));
      if (!found || found.keyId !== entry.keyId || !live.has(found.keyId) || found.context !== context) {
        throw new Error("the wrapped key cannot be unwrapped");
      }
      return Uint8Array.from(found.key);
    },
    async rotate() {
      generation += 1;
      live.add(`kek-${generation}`);
      return `kek-${generation}`;
    },
    async retire(keyId) {
      if (keyId === `kek-${generation}`) throw new Error("the current key-encryption key stays");
      live.delete(keyId);
    },
  };
}
