/**
 * Test doubles of the domain's ports, for tests, demos and products that need no database: the
 * in-memory unit of work behaves as the database does (each `run` is one serialised transaction
 * bound to one clinic, rolled back when the work throws).
 * @packageDocumentation
 */

export { InMemoryUnitOfWork } from "./InMemoryUnitOfWork";
export { inMemoryKeyProvider } from "./inMemory/keys";
