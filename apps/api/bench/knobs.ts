// The bench's knobs (environment) and the text its messages carry; see run.ts for the figures.

export const knobs = {
  runs: Number(process.env.BENCH_RUNS ?? 3),
  /** Concurrent senders (figure 1) and clients (figure 3). */
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 64),
  seconds: Number(process.env.BENCH_SECONDS ?? 5),
  /**
   * Figure 2's paced send rates: the first is the target's (500 msg/s); the others show the path
   * at a load the processes can carry on this machine.
   */
  rates: (process.env.BENCH_RATES ?? "500,50,20").split(",").map(Number),
  pacedSeconds: Number(process.env.BENCH_PACED_SECONDS ?? 10),
  /**
   * Figure 2's warm-up: the paced sends run this long at the same rate before the measured ones,
   * in the same loop (like figure 1's warm-up): new keep-alive connections and cold code paths
   * are not the steady state being measured.
   */
  pacedWarmupSeconds: Number(process.env.BENCH_PACED_WARMUP_SECONDS ?? 2),
  streams: Number(process.env.BENCH_STREAMS ?? 10_000),
  /** Sessions the streams of figure 4 share. */
  streamSessions: Number(process.env.BENCH_STREAM_SESSIONS ?? 10),
  /** The product's own log level (its default is info: one line per request). */
  logLevel: process.env.BENCH_LOG_LEVEL ?? "info",
  /** Only these figures, e.g. "1,3" (default: all; 1i is figure 1 with practitioner and patient in turn). */
  only: new Set((process.env.BENCH_ONLY ?? "1,1i,2,3,4,5,6").split(",").map((f) => f.trim())),
  /** Figure 5's recipients, and the live chat's messages per second beside it. */
  broadcastRecipients: Number(process.env.BENCH_BROADCAST_RECIPIENTS ?? 10_000),
  broadcastChatRate: Number(process.env.BENCH_BROADCAST_CHAT_RATE ?? 5),
  broadcastChatSeconds: Number(process.env.BENCH_BROADCAST_CHAT_SECONDS ?? 30),
  /** Figure 6's messages past the retention period, of which files, and its live chat. */
  retentionMessages: Number(process.env.BENCH_RETENTION_MESSAGES ?? 50_000),
  retentionFiles: Number(process.env.BENCH_RETENTION_FILES ?? 100),
  retentionChatRate: Number(process.env.BENCH_RETENTION_CHAT_RATE ?? 5),
  retentionChatSeconds: Number(process.env.BENCH_RETENTION_CHAT_SECONDS ?? 60),
  /** A folder for V8 CPU profiles of the API processes (written when they stop). */
  cpuProfiles: process.env.BENCH_CPU_PROF ?? null,
  /**
   * Figure 2 prints this many of PostgreSQL's most expensive statements per run (pg_stat_statements,
   * loaded for the bench's server only when set): calls and execution time per message sent.
   */
  pgStatements: Number(process.env.BENCH_PG_STATEMENTS ?? 0),
  /** A file for a heap snapshot of the API process holding figure 4's streams, once they are open. */
  heapSnapshot: process.env.BENCH_HEAP_SNAPSHOT ?? null,
};

/** The text of every message the figures send (no PHI: a bench's own words). */
export const messageText = "Your lab results are in; please book a follow-up this week. (bench)";
