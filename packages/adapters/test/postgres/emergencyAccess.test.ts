import { emergencyAccessContract } from "../contract/emergencyAccess.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

emergencyAccessContract(usePostgresUnitOfWork().factory);
