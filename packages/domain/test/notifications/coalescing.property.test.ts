import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  conversationIds,
  expectedChannels,
  type Op,
  opArb,
  patientName,
  phiMarker,
  quietOpArb,
  Simulation,
  worldArb,
} from "./simulation";

const numRuns = 500;
const opsArb = fc.array(opArb, { maxLength: 80 });
const tailArb = fc.array(quietOpArb, { maxLength: 30 });

describe("notification coalescing over random event sequences", () => {
  it("NOTIF-1: at most one send per burst and at most one timer at a time; every burst ends", () => {
    fc.assert(
      fc.property(worldArb, opsArb, (world, ops) => {
        const sim = new Simulation(world).run(ops); // checks the timer invariants after every step
        sim.drain();
        const sendIds = sim.sends.map((s) => s.burstId);
        expect(sendIds.length).toBeLessThanOrEqual(sim.bursts.length);
        expect(new Set(sendIds).size).toBe(sendIds.length);
        expect(sim.state.status).toBe("idle");
        expect(sim.queued.size).toBe(0);
        // Exactly one send for every burst that still had unread messages when it came due.
        const shouldSend = expectedChannels(world).length > 0;
        for (const burst of sim.bursts)
          expect(burst.end).toBe(burst.end === "cancelled" ? "cancelled" : shouldSend ? "sent" : "silent");
      }),
      { numRuns },
    );
  });

  it("NOTIF-1, NOTIF-2, DEL-4: the store, fed only by join actions, holds exactly the burst's unread messages", () => {
    // The simulation compares the store with the reference model after every step; this property
    // also checks that every post was offered to the store and that repeated posts stay single.
    fc.assert(
      fc.property(worldArb, opsArb, (world, ops) => {
        const sim = new Simulation(world).run(ops);
        const posts = sim.events.filter((e) => e.type === "message.posted").length;
        const joins = sim.log.filter(({ action }) => action.type === "join").length;
        expect(joins).toBe(posts);
        const ids = [...sim.store.values()].map((m) => m.messageId);
        expect(new Set(ids).size).toBe(ids.length);
        if (sim.state.status === "pending") {
          const burstId = sim.state.burstId;
          const unread = sim.messages.filter(
            (m) => sim.isUnread(m) && sim.bursts.at(-1)?.messageIds.has(m.messageId),
          );
          expect(ids.sort()).toEqual(unread.map((m) => m.messageId).sort());
          expect(sim.storedIn(burstId)).toHaveLength(ids.length);
        } else expect(ids).toEqual([]);
        sim.drain();
        expect(sim.store.size).toBe(0);
      }),
      { numRuns },
    );
  });

  it("NOTIF-2: nothing is sent once everything was read", () => {
    fc.assert(
      fc.property(worldArb, opsArb, tailArb, (world, ops, tail) => {
        const sim = new Simulation(world).run(ops);
        sim.readAll();
        expect(sim.state.status).toBe("idle");
        expect(sim.queued.size).toBe(0);
        const sentBefore = sim.sends.length;
        sim.run(tail).drain();
        expect(sim.sends.length).toBe(sentBefore);
      }),
      { numRuns },
    );
  });

  it("DEL-4: a burst whose messages were all deleted is never sent", () => {
    fc.assert(
      fc.property(worldArb, opsArb, tailArb, (world, ops, tail) => {
        const sim = new Simulation(world).run(ops);
        sim.deleteAll();
        expect(sim.state.status).toBe("idle");
        const sentBefore = sim.sends.length;
        sim.run(tail).drain();
        expect(sim.sends.length).toBe(sentBefore);
      }),
      { numRuns },
    );
  });

  it("NOTIF-2, DEL-4: every send is about at least one message still unread, counted exactly", () => {
    // Mixes posts, deletions and reads freely; the simulation compares each send with its model.
    fc.assert(
      fc.property(worldArb, opsArb, (world, ops) => {
        const sim = new Simulation(world).run(ops);
        sim.drain();
        for (const send of sim.sends) expect(send.messageCount).toBeGreaterThan(0);
      }),
      { numRuns },
    );
  });

  it("NOTIF-4: no action or state ever carries message text, file names or patient names", () => {
    fc.assert(
      fc.property(worldArb, opsArb, (world, ops) => {
        const sim = new Simulation(world).run(ops);
        sim.drain();
        const phi = sim.phi();
        expect(phi).toContain(patientName);
        for (const { action } of sim.log) {
          const json = JSON.stringify(action);
          expect(json).not.toContain(phiMarker);
          for (const secret of phi) expect(json).not.toContain(secret);
          if (action.type !== "send") continue;
          const { payload } = action;
          expect(Object.keys(payload).sort()).toEqual(["clinicName", "link", "subject", "text"]);
          // The conversation's page when the burst is about one, else the list (an id is no PHI).
          const base = world.signInUrl.replace(/\/+$/, "");
          expect([
            `${base}/chat`,
            ...conversationIds.map((id) => `${base}/chat/${encodeURIComponent(id)}`),
          ]).toContain(payload.link);
          if (world.recipient.person.kind === "patient") {
            expect(payload.subject).toBe(`New secure message from ${payload.clinicName}`);
            expect(payload.text).toBe(
              `You have a new secure message from ${payload.clinicName}. Sign in to read it.\n\n${payload.link}`,
            );
          } else {
            expect(payload.subject).toBe(`New secure message from a patient at ${payload.clinicName}`);
            expect(payload.text).toBe(
              `A patient sent you a new secure message at ${payload.clinicName}. Sign in to read it.\n\n${payload.link}`,
            );
          }
          for (const field of Object.values(payload)) expect(field).not.toContain(phiMarker);
        }
        expect(JSON.stringify(sim.state)).not.toContain(phiMarker);
        expect(JSON.stringify([...sim.store.values()])).not.toContain(phiMarker);
      }),
      { numRuns },
    );
  });

  it("NOTIF-3: SMS only when the clinic, the number and the consent allow it; email always for patients", () => {
    fc.assert(
      fc.property(worldArb, opsArb, (world, ops) => {
        const sim = new Simulation(world).run([
          ...ops,
          { kind: "post", conv: 0, withFile: false } satisfies Op,
        ]);
        sim.drain();
        const r = world.recipient;
        const patient = r.person.kind === "patient";
        const smsAllowed =
          patient && world.clinic.smsNotificationsEnabled && r.mobilePhone !== null && r.smsConsent;
        // The last post was left unread, so at least that burst ends in a send when any channel applies.
        if (patient && r.email !== null) expect(sim.sends.length).toBeGreaterThan(0);
        for (const send of sim.sends) {
          expect(send.channels.includes("sms")).toBe(smsAllowed);
          if (patient) expect(send.channels.includes("email")).toBe(r.email !== null);
          else expect(send.channels).toEqual(["email"]);
        }
        if (!patient && !r.emailNotifications) expect(sim.sends).toEqual([]);
      }),
      { numRuns },
    );
  });
});
