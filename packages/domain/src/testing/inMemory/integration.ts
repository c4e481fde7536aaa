import type { IntegrationStore } from "../../integration/ports";
import type { ClinicView } from "./world";

/** The clinic's API credentials and the host's ids of its staff and appointments (INTEG-1, INTEG-2). */
export function inMemoryIntegration(view: ClinicView): IntegrationStore {
  const { world, clinicId, inClinic } = view;
  const credential = (id: string) => inClinic(world.apiCredentials.get(id));
  return {
    async addCredential(added) {
      if (added.clinicId !== clinicId) throw new Error("credential outside the unit of work's clinic");
      world.apiCredentials.set(added.id, added);
    },
    async credentials() {
      return [...world.apiCredentials.values()]
        .filter((c) => c.clinicId === clinicId)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    },
    async credential(id) {
      return credential(id);
    },
    async markCredentialUsed(id, at) {
      const found = credential(id);
      if (found) world.apiCredentials.set(id, { ...found, lastUsedAt: at });
    },
    async revokeCredential(id, at) {
      const found = credential(id);
      if (found) world.apiCredentials.set(id, { ...found, revokedAt: at });
    },
    async countCall(id, windowStart) {
      if (!credential(id)) return 0;
      const windows = world.hostCallWindows;
      const start = windowStart.getTime();
      const before = windows.get(id);
      const calls = before?.start === start ? before.calls + 1 : 1;
      windows.set(id, { start, calls });
      return calls;
    },
    async staffByHostIds(hostIds) {
      const wanted = new Set(hostIds);
      return [...world.staff.values()].filter(
        (s) => s.clinicId === clinicId && s.hostId != null && wanted.has(s.hostId),
      );
    },
    async appointmentsByHostIds(hostIds) {
      const wanted = new Set(hostIds);
      return [...world.appointments.values()].filter(
        (a) => a.clinicId === clinicId && a.hostId != null && wanted.has(a.hostId),
      );
    },
    async saveAppointments(appointments) {
      for (const appointment of appointments) {
        if (appointment.clinicId !== clinicId)
          throw new Error("appointment outside the unit of work's clinic");
        world.appointments.set(appointment.id, appointment);
      }
    },
  };
}
