/** Where time comes from: the domain never reads the system clock itself. */
export interface Clock {
  now(): Date;
}

/** Where new ids come from: unique, opaque, and free of PHI. Time-ordered ids index well. */
export interface Ids {
  newId(): string;
}
