import { DecryptCommand, EncryptCommand, KMSClient, RotateKeyOnDemandCommand } from "@aws-sdk/client-kms";
import type { KeyProvider } from "@clinic-chat/domain/keys";

/** Where the AWS KMS key-encryption keys are. */
export interface KmsKeyProviderOptions {
  /** The key (id, ARN or alias) that wraps now. */
  readonly keyId: string;
  /** Keys that wrapped before `keyId`; they still unwrap until retired (a move to a new key). */
  readonly earlierKeyIds?: readonly string[];
  readonly region: string;
  /** Another endpoint than AWS's (a VPC endpoint, or a stand-in in tests). */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * The production {@link KeyProvider} on AWS KMS (REC-1): clinics' keys are wrapped by Encrypt and
 * unwrapped by Decrypt, with the wrapping's context as the encryption context (KMS refuses to
 * decrypt under another, and CloudTrail records it). Rotating asks KMS for new key material
 * (RotateKeyOnDemand): KMS keeps the earlier material inside the key, so nothing needs re-wrapping
 * and the key's id stays. A move to another key is configured (`keyId` the new one, the old in
 * `earlierKeyIds`); the rotation then re-wraps every clinic's key and retires the old one here
 * (scheduling its deletion in KMS stays the operator's decision).
 */
export function createKmsKeyProvider(options: KmsKeyProviderOptions): KeyProvider & { destroy(): void } {
  const client = new KMSClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const accepted = new Set([options.keyId, ...(options.earlierKeyIds ?? [])]);
  const encryptionContext = (context: string) => ({ purpose: context });
  return {
    async currentKeyId() {
      return options.keyId;
    },
    async wrap(key, context) {
      const answer = await client.send(
        new EncryptCommand({
          KeyId: options.keyId,
          Plaintext: key,
          EncryptionContext: encryptionContext(context),
        }),
      );
      if (!answer.CiphertextBlob) throw new Error("KMS answered Encrypt without a ciphertext");
      return { keyId: options.keyId, bytes: answer.CiphertextBlob };
    },
    async unwrap(wrapped, context) {
      if (!accepted.has(wrapped.keyId)) {
        throw new Error(`the key-encryption key ${wrapped.keyId} is not configured`);
      }
      const answer = await client.send(
        new DecryptCommand({
          KeyId: wrapped.keyId,
          CiphertextBlob: wrapped.bytes,
          EncryptionContext: encryptionContext(context),
        }),
      );
      if (!answer.Plaintext) throw new Error("KMS answered Decrypt without a plaintext");
      return answer.Plaintext;
    },
    async rotate() {
      await client.send(new RotateKeyOnDemandCommand({ KeyId: options.keyId }));
      return options.keyId;
    },
    async retire(keyId) {
      if (keyId === options.keyId) throw new Error("the current key-encryption key cannot be retired");
      accepted.delete(keyId);
    },
    destroy() {
      client.destroy();
    },
  };
}
