import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestProduct, type TestProduct } from "./support/product";

let t: TestProduct;
beforeAll(async () => {
  t = await startTestProduct();
});
afterAll(async () => {
  await t?.stop();
});

/** Reads an open event stream until its text matches `pattern`, or fails after `ms`. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  seen: { text: string },
  pattern: RegExp,
  ms: number,
) {
  const decoder = new TextDecoder();
  const deadline = Date.now() + ms;
  while (!pattern.test(seen.text)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`the stream did not show ${pattern} in time: ${seen.text}`);
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${pattern} in time`)), left)),
    ]);
    if (chunk.done) return "ended" as const;
    seen.text += decoder.decode(chunk.value, { stream: true });
  }
  return "matched" as const;
}

describe("deactivation ends a member's access at once (ADMIN-2, ELIG-6)", () => {
  it("ELIG-6: after team.deactivate, the member's next request is refused and their open live stream ends, well before the idle re-check", async () => {
    const { a } = t.world;
    const admin = await t.signInStaff(a.admin);
    const nurse = await t.signInStaff(a.nurse);
    const response = await nurse.fetch(`${t.url}/trpc/live.events`, {
      headers: { ...nurse.headers(), accept: "text/event-stream" },
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const seen = { text: "" };
    await readUntil(reader, seen, /"type":"ready"/, 10_000);

    await admin.trpc.team.deactivate.mutate({ staffId: a.nurse.id });
    // The idle re-check runs every 30 seconds; the announcement ends the stream long before.
    const ended = await readUntil(
      reader,
      seen,
      /event: serialized-error\ndata: .*UNAUTHORIZED/,
      10_000,
    ).catch((error: unknown) => error);
    expect(ended === "matched" || ended === "ended", String(ended)).toBe(true);
    await reader.cancel().catch(() => undefined);

    const me = await nurse.call("auth.me", "query", undefined);
    expect(me.code).toBe("UNAUTHORIZED");
    // Another member's access is untouched.
    expect((await admin.call("auth.me", "query", undefined)).status).toBe(200);
  });
});
