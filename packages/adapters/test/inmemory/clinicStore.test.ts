import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { clinicStoreContract } from "../contract/clinicStore.contract";

clinicStoreContract(() => new InMemoryUnitOfWork());
