import { InMemoryUnitOfWork } from "@clinic-chat/domain";
import { eventLogContract } from "../contract/eventLog.contract";

eventLogContract(() => new InMemoryUnitOfWork());
