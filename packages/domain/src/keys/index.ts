/**
 * Keys of the product's records (REC-1, REC-2): the port of the key-encryption key's keeper.
 * @packageDocumentation
 */

export type { KeyProvider, WrappedKey } from "./KeyProvider";
