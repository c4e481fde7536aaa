import { eventLogContract } from "../contract/eventLog.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

eventLogContract(usePostgresUnitOfWork().factory);
