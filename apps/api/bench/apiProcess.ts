import { answerMemoryProbes } from "./probe";

// One API process of the benchmark: the product exactly as `npm start` runs it (src/main.ts, the
// configuration from the environment), plus a memory probe the bench reads over IPC.
answerMemoryProbes();
await import("../src/main");
