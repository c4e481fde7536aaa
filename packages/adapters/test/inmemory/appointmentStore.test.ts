import { InMemoryUnitOfWork } from "@clinic-chat/domain";
import { appointmentStoreContract } from "../contract/appointmentStore.contract";

appointmentStoreContract(() => new InMemoryUnitOfWork());
