import { unitOfWorkContract } from "../contract/unitOfWork.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

unitOfWorkContract(usePostgresUnitOfWork().factory);
