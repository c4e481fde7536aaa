import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { recordsStoreContract } from "../contract/recordsStore.contract";

recordsStoreContract(() => new InMemoryUnitOfWork());
