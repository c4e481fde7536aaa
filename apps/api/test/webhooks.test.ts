import { TRPCClientError } from "@trpc/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/api";

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  await api.close();
});

async function refusal(promise: Promise<unknown>): Promise<TRPCClientError<never>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw new Error("expected a tRPC error");
  return error as TRPCClientError<never>;
}

describe("INTEG-4 Clinic Settings › Webhooks over HTTP", () => {
  it("INTEG-4: an address that is not HTTPS is refused with a sentence saying what to do", async () => {
    const { a } = api.world;
    const admin = api.clientAs(a.sessionOf(a.admin));
    const error = await refusal(admin.webhooks.register.mutate({ url: "http://host.example/hooks" }));
    expect(error.message).toBe(
      "Webhooks are only sent over HTTPS. Enter an address that starts with https://.",
    );
    expect(error.data).toMatchObject({ httpStatus: 400, domainCode: "INVALID_INPUT" });
    expect(await admin.webhooks.list.query()).toEqual([]);
  });

  it("INTEG-4: the secret is answered once, when the endpoint is added; the list never shows it", async () => {
    const { a, b } = api.world;
    const admin = api.clientAs(a.sessionOf(a.admin));
    const added = await admin.webhooks.register.mutate({ url: "https://host.example/hooks" });
    expect(added.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await admin.webhooks.list.query();
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(added.secret);
    await admin.webhooks.setEnabled.mutate({ endpointId: added.endpoint.id, enabled: false });
    expect((await admin.webhooks.list.query())[0]?.enabled).toBe(false);
    // ELIG-5: another clinic's admin neither sees nor reaches it.
    const other = api.clientAs(b.sessionOf(b.admin));
    expect(await other.webhooks.list.query()).toEqual([]);
    const foreign = await refusal(other.webhooks.remove.mutate({ endpointId: added.endpoint.id }));
    expect(foreign.data).toMatchObject({ domainCode: "NOT_FOUND" });
    await admin.webhooks.remove.mutate({ endpointId: added.endpoint.id });
    expect(await admin.webhooks.list.query()).toEqual([]);
  });
});
