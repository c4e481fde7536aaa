import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { auditLogContract } from "../contract/auditLog.contract";

auditLogContract(() => new InMemoryUnitOfWork());
