import { InMemoryUnitOfWork } from "@clinic-chat/domain";
import { auditLogContract } from "../contract/auditLog.contract";

auditLogContract(() => new InMemoryUnitOfWork());
