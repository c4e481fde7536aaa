// heic-decode ships no types: what this adapter uses of it.
declare module "heic-decode" {
  interface DecodedHeic {
    readonly width: number;
    readonly height: number;
    readonly data: Uint8ClampedArray;
  }
  interface HeicImage {
    readonly width: number;
    readonly height: number;
    decode(): Promise<DecodedHeic>;
  }
  interface HeicDecode {
    (input: { buffer: Uint8Array }): Promise<DecodedHeic>;
    /** Every image of the file, sized before any is decoded; `dispose` frees them. */
    all(input: { buffer: Uint8Array }): Promise<HeicImage[] & { dispose(): void }>;
  }
  const decode: HeicDecode;
  export default decode;
}
