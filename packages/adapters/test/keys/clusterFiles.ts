import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Every file under `directory` (heap, indexes, WAL, everything) that holds `marker` in plain UTF-8. */
export async function filesHolding(directory: string, marker: string): Promise<string[]> {
  const needle = Buffer.from(marker, "utf8");
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const bytes = await readFile(path).catch(() => null);
        if (bytes?.includes(needle)) found.push(path);
      }
    }
  };
  await walk(directory);
  return found;
}

/** Runs one of Debian's PostgreSQL client programs (pg_dump, psql) against `url`. */
export async function pgClient(bin: string, program: string, url: string, args: string[]): Promise<string> {
  const { stdout } = await run(join(bin, program), [...args, "--dbname", url], {
    maxBuffer: 512 * 1024 * 1024,
  });
  return stdout;
}
