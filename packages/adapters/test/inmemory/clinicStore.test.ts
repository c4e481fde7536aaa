import { InMemoryUnitOfWork } from "@clinic-chat/domain";
import { clinicStoreContract } from "../contract/clinicStore.contract";

clinicStoreContract(() => new InMemoryUnitOfWork());
