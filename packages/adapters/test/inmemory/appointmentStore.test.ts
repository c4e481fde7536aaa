import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { appointmentStoreContract } from "../contract/appointmentStore.contract";

appointmentStoreContract(() => new InMemoryUnitOfWork());
