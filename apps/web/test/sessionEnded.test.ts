import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { createQueryClient } from "../src/app/queryClient";

const whoAmI = [["auth", "me"], { type: "query" }];
const signedOut = () =>
  TRPCClientError.from({
    error: { message: "Please sign in.", code: -32001, data: { code: "UNAUTHORIZED", httpStatus: 401 } },
  });

describe("leaving for the sign-in page when the server says nobody is signed in (SEC-2)", () => {
  it("SEC-2: someone who was never signed in (a link from an email) is not told their session ended", async () => {
    const told: boolean[] = [];
    const client = createQueryClient((hadSession) => told.push(hadSession));
    await client
      .fetchQuery({ queryKey: whoAmI, queryFn: () => Promise.reject(signedOut()), retry: false })
      .catch(() => undefined);
    expect(told).toEqual([false]);
  });

  it("SEC-2: someone whose session ends after they were signed in is told it ended", async () => {
    const told: boolean[] = [];
    const client = createQueryClient((hadSession) => told.push(hadSession));
    await client.fetchQuery({ queryKey: whoAmI, queryFn: () => ({ person: { kind: "staff", id: "s-1" } }) });
    await client
      .fetchQuery({
        queryKey: [["conversations", "list"], { type: "query" }],
        queryFn: () => Promise.reject(signedOut()),
        retry: false,
      })
      .catch(() => undefined);
    expect(told).toEqual([true]);
  });
});
