import type { Clock, EmailSender, Ids, NotificationPayload, SmsSender } from "@clinic-chat/domain";
import type { BlobInspection, BlobStore, PresignedUrl } from "@clinic-chat/domain/files";

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  constructor(private current = new Date("2026-03-02T09:00:00.000Z")) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A UUID-shaped id from a family (up to 8 hex digits) and a number, so test ids pass the API's uuid checks. */
export function testUuid(family: string, n: number): string {
  return `${family.padEnd(8, "0").slice(0, 8)}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

/** Sequential UUID-shaped ids, distinct from the seeded ones. */
export class SequentialIds implements Ids {
  private next = 1;
  newId(): string {
    return testUuid("e1d5", this.next++);
  }
}

/**
 * Object storage in memory. Presigned URLs are fake addresses; a test plays the browser's PUT with
 * {@link FakeBlobStore.simulateUpload}.
 */
export class FakeBlobStore implements BlobStore {
  readonly objects = new Map<string, BlobInspection>();
  constructor(private readonly clock: Clock) {}

  private expiry(seconds: number): Date {
    return new Date(this.clock.now().getTime() + seconds * 1000);
  }
  async presignUpload(
    key: string,
    upload: { sizeBytes: number; contentType: string; expiresInSeconds: number },
  ): Promise<PresignedUrl> {
    return {
      url: `https://blobs.test/put/${key}`,
      method: "PUT",
      headers: { "content-type": upload.contentType, "content-length": String(upload.sizeBytes) },
      expiresAt: this.expiry(upload.expiresInSeconds),
    };
  }
  async presignDownload(
    key: string,
    download: { contentType: string; expiresInSeconds: number },
  ): Promise<PresignedUrl> {
    return {
      url: `https://blobs.test/get/${key}`,
      method: "GET",
      headers: {},
      expiresAt: this.expiry(download.expiresInSeconds),
    };
  }
  async inspect(key: string): Promise<BlobInspection | null> {
    return this.objects.get(key) ?? null;
  }
  async read(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    return this.objects.has(key) ? (async function* () {})() : null;
  }
  async write(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    this.objects.set(key, { sizeBytes: bytes.byteLength, detectedType: contentType });
  }
  async remove(key: string): Promise<void> {
    this.objects.delete(key);
  }
  /** What the browser's PUT to a presigned upload URL does. */
  simulateUpload(url: string, object: BlobInspection): void {
    this.objects.set(url.replace("https://blobs.test/put/", ""), object);
  }
}

/** An email or SMS sender that only remembers what it was asked to send. */
export class RecordingSender implements EmailSender, SmsSender {
  readonly sent: { to: string; payload: NotificationPayload }[] = [];
  async send(to: string, payload: NotificationPayload): Promise<void> {
    this.sent.push({ to, payload });
  }
}
