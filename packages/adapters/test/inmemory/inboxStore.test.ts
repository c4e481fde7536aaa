import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { inboxStoreContract } from "../contract/inboxStore.contract";

inboxStoreContract(() => new InMemoryUnitOfWork());
