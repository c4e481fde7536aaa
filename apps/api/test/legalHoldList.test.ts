import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProductBrowser, startTestProduct, type TestProduct } from "./support/product";

let t: TestProduct;
let admin: ProductBrowser;
let doctor: ProductBrowser;
beforeAll(async () => {
  t = await startTestProduct();
  admin = await t.signInStaff(t.world.a.admin);
  doctor = await t.signInStaff(t.world.a.doctor);
});
afterAll(async () => {
  await t?.stop();
});

describe("REC-4 the patient list on real PostgreSQL", () => {
  it("REC-4: patients.list marks the patient under a legal hold, and no one else, until it is lifted", async () => {
    const { a } = t.world;
    const held = async () =>
      (await doctor.trpc.patients.list.mutate({ limit: 100 })).items
        .filter((item) => item.legalHold)
        .map((item) => item.person.id);
    expect(await held()).toEqual([]);
    await admin.trpc.records.placeHold.mutate({
      patientId: a.patient.id,
      reason: "Records requested by counsel",
    });
    expect(await held()).toEqual([a.patient.id]);
    const list = await doctor.trpc.patients.list.mutate({ limit: 100 });
    expect(list.items.length).toBeGreaterThan(1);
    await admin.trpc.records.liftHold.mutate({ patientId: a.patient.id });
    expect(await held()).toEqual([]);
  });
});
