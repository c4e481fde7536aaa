import { randomBytes } from "node:crypto";
import type { KeyProvider } from "@clinic-chat/domain/keys";
import { describe, expect, it } from "vitest";

/** What every {@link KeyProvider} does (REC-1), run against each implementation. */
export function keyProviderContract(name: string, make: () => Promise<KeyProvider>): void {
  describe(`KeyProvider contract: ${name}`, () => {
    it("REC-1: a wrapped key unwraps to the same bytes under its own context, and under no other", async () => {
      const provider = await make();
      const key = randomBytes(32);
      const wrapped = await provider.wrap(key, "clinic-key/a");
      expect(wrapped.keyId).toBe(await provider.currentKeyId());
      expect(Buffer.from(wrapped.bytes).includes(key)).toBe(false);
      expect(Buffer.from(await provider.unwrap(wrapped, "clinic-key/a"))).toEqual(key);
      await expect(provider.unwrap(wrapped, "clinic-key/b")).rejects.toThrow();
    });

    it("REC-1: after a rotation, new wrappings name the current key and earlier ones still unwrap", async () => {
      const provider = await make();
      const key = randomBytes(32);
      const before = await provider.wrap(key, "clinic-key/a");
      const current = await provider.rotate();
      expect(await provider.currentKeyId()).toBe(current);
      const after = await provider.wrap(key, "clinic-key/a");
      expect(after.keyId).toBe(current);
      expect(Buffer.from(await provider.unwrap(before, "clinic-key/a"))).toEqual(key);
      expect(Buffer.from(await provider.unwrap(after, "clinic-key/a"))).toEqual(key);
    });

    it("REC-1: the current key-encryption key cannot be retired", async () => {
      const provider = await make();
      await expect(provider.retire(await provider.currentKeyId())).rejects.toThrow();
      const key = randomBytes(32);
      const wrapped = await provider.wrap(key, "clinic-key/a");
      expect(Buffer.from(await provider.unwrap(wrapped, "clinic-key/a"))).toEqual(key);
    });
  });
}
