import { auditLogContract } from "../contract/auditLog.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

auditLogContract(usePostgresUnitOfWork().factory);
