import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { integrationStoreContract } from "../contract/integrationStore.contract";

integrationStoreContract(() => new InMemoryUnitOfWork());
