import { spawn } from "node:child_process";
import { resolve } from "node:path";
import type { TestProduct } from "./testProduct";

const apiDir = resolve(import.meta.dirname, "../../../api");

/** What the operator command printed, and how it ended. */
export interface CommandRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs the operator command (ADMIN-1) as an operator types it, from the API's sources: its own
 * process, finding the running product's database through DATABASE_URL (the embedded database is
 * held by the product) and writing its emails to the product's mail folder.
 */
export function operatorCommand(product: TestProduct, args: readonly string[]): Promise<CommandRun> {
  const tsx = resolve(apiDir, "../../node_modules/.bin/tsx");
  return new Promise((done, fail) => {
    const child = spawn(tsx, ["--conditions=@clinic-chat/source", "src/cli/clinicCli.ts", ...args], {
      cwd: apiDir,
      env: {
        ...process.env,
        DATABASE_URL: product.product.ownerUrl,
        DATA_DIR: product.dataDir,
        INIT_CWD: apiDir,
        PUBLIC_URL: product.url,
        NODE_ENV: "test",
        LOG_LEVEL: "silent",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once("error", fail);
    child.once("close", (code) => done({ code, out, err }));
  });
}
