import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { eventLogContract } from "../contract/eventLog.contract";

eventLogContract(() => new InMemoryUnitOfWork());
