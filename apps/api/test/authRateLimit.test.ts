import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApi, failure, password, startAuthApi } from "./support/authApi";
import { enrolStaff } from "./support/signInFlows";

let api: AuthApi;
beforeAll(async () => {
  api = await startAuthApi();
});
afterAll(async () => {
  await api.close();
});

const minutes = (n: number) => n * 60_000;

/** Lets every earlier failure of this file leave the 15-minute window. */
const freshWindow = () => api.clock.advance(minutes(16));

describe("sign-in attempts are rate-limited (SEC-1)", () => {
  it("SEC-1: after 5 failures for one email in 15 minutes, even the right password waits, told for how long", async () => {
    freshWindow();
    const { a, b } = api.world;
    const email = a.patient.email!;
    for (let i = 0; i < 5; i++) {
      expect(
        await failure(
          api.browser().trpc.auth.signIn.mutate({ audience: "patient", email, password: `guess ${i}` }),
        ),
      ).toMatchObject({ domainCode: "SIGN_IN_FAILED" });
      api.clock.advance(minutes(1));
    }
    const limited = await failure(
      api.browser().trpc.auth.signIn.mutate({ audience: "patient", email, password }),
    );
    expect(limited).toEqual({
      code: "TOO_MANY_REQUESTS",
      domainCode: "TOO_MANY_ATTEMPTS",
      message: "Too many sign-in attempts. Try again in 10 minutes.",
    });
    // Written differently, it is the same email.
    expect(
      await failure(
        api
          .browser()
          .trpc.auth.signIn.mutate({ audience: "patient", email: ` ${email.toUpperCase()}`, password }),
      ),
    ).toMatchObject({ domainCode: "TOO_MANY_ATTEMPTS" });
    // Another person is not affected.
    expect(
      await api.browser().trpc.auth.signIn.mutate({ audience: "patient", email: b.patient.email!, password }),
    ).toMatchObject({ status: "signedIn" });

    api.clock.advance(minutes(9) + 59_000);
    expect(
      await failure(api.browser().trpc.auth.signIn.mutate({ audience: "patient", email, password })),
    ).toMatchObject({ message: "Too many sign-in attempts. Try again in 1 minute." });
    api.clock.advance(1_000); // the first failure leaves the window
    expect(
      await api.browser().trpc.auth.signIn.mutate({ audience: "patient", email, password }),
    ).toMatchObject({
      status: "signedIn",
    });
  });

  it("SEC-1: after 20 failures from one address, every email waits, known or not", async () => {
    freshWindow();
    const { a } = api.world;
    for (let i = 0; i < 20; i++) {
      await failure(
        api
          .browser()
          .trpc.auth.signIn.mutate({ audience: "patient", email: `guess${i}@mail.test`, password }),
      );
    }
    expect(
      await failure(
        api.browser().trpc.auth.signIn.mutate({ audience: "patient", email: a.patient.email!, password }),
      ),
    ).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: "Too many sign-in attempts. Try again in 15 minutes.",
    });
    api.clock.advance(minutes(15));
    expect(
      await api.browser().trpc.auth.signIn.mutate({ audience: "patient", email: a.patient.email!, password }),
    ).toMatchObject({ status: "signedIn" });
  });

  it("SEC-1: wrong TOTP codes count as failures too", async () => {
    freshWindow();
    const { a } = api.world;
    await enrolStaff(api, api.browser(), a.doctor);
    const base = { audience: "staff", email: a.doctor.email, password } as const;
    for (let i = 0; i < 5; i++) {
      expect(await failure(api.browser().trpc.auth.signIn.mutate({ ...base, code: "000000" }))).toMatchObject(
        {
          domainCode: "CODE_INVALID",
        },
      );
    }
    expect(await failure(api.browser().trpc.auth.signIn.mutate(base))).toMatchObject({
      domainCode: "TOO_MANY_ATTEMPTS",
    });
  });
});
