import { connect, type Socket } from "node:net";
import type { MalwareScanner, ScanVerdict } from "@clinic-chat/domain/files";

/** Where clamd listens: a Unix socket, or a TCP host and port. */
export type ClamdAddress = { readonly socketPath: string } | { readonly host: string; readonly port: number };

/** Options of {@link createClamdScanner}. */
export interface ClamdOptions {
  /** How long one scan may take, connection included (default 60 seconds). */
  readonly timeoutMs?: number;
}

/** clamd could not be reached, or could not finish the scan: the scan is tried again later. */
export class ScannerUnavailableError extends Error {
  override readonly name = "ScannerUnavailableError";
}

/** clamd's largest INSTREAM chunk is configurable; 64 KiB stays below every default. */
const chunkBytes = 64 * 1024;

/**
 * The domain's MalwareScanner on clamd (FILE-6), speaking clamd's documented INSTREAM command:
 * `zINSTREAM\0`, then chunks each prefixed with its length as 4 bytes big-endian, then a chunk of
 * length zero; clamd answers `stream: OK` or `stream: <signature> FOUND`, NUL-terminated. The
 * content streams through; nothing is written to disk here.
 */
export function createClamdScanner(
  address: ClamdAddress,
  options: ClamdOptions = {},
): MalwareScanner & {
  /** True when clamd answers PING with PONG. */
  ping(): Promise<boolean>;
} {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    async scan(content): Promise<ScanVerdict> {
      const reply = await converse(address, timeoutMs, async (socket) => {
        await write(socket, Buffer.from("zINSTREAM\0", "latin1"));
        for await (const piece of content) {
          for (let start = 0; start < piece.length; start += chunkBytes) {
            const chunk = piece.subarray(start, start + chunkBytes);
            const length = Buffer.alloc(4);
            length.writeUInt32BE(chunk.length);
            await write(socket, length);
            await write(socket, chunk);
          }
        }
        await write(socket, Buffer.alloc(4));
      });
      if (/^stream: OK$/.test(reply)) return { infected: false };
      if (/^stream: .+ FOUND$/.test(reply)) return { infected: true };
      // "INSTREAM size limit exceeded. ERROR" and the like: clamd could not finish this scan.
      throw new ScannerUnavailableError("clamd did not finish the scan");
    },
    async ping(): Promise<boolean> {
      try {
        return (
          (await converse(address, 5_000, (socket) => write(socket, Buffer.from("zPING\0", "latin1")))) ===
          "PONG"
        );
      } catch {
        return false;
      }
    },
  };
}

/** Opens a connection, runs `send`, and resolves with clamd's NUL-terminated reply. */
function converse(
  address: ClamdAddress,
  timeoutMs: number,
  send: (socket: Socket) => Promise<void>,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket =
      "socketPath" in address ? connect(address.socketPath) : connect(address.port, address.host);
    const received: Buffer[] = [];
    let settled = false;
    const finish = (error: Error | null, reply?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply ?? "");
    };
    const timer = setTimeout(() => finish(new ScannerUnavailableError("clamd timed out")), timeoutMs);
    socket.on("error", () => finish(new ScannerUnavailableError("clamd is unreachable")));
    socket.on("data", (data: Buffer) => {
      received.push(data);
      const all = Buffer.concat(received);
      const end = all.indexOf(0);
      if (end >= 0) finish(null, all.subarray(0, end).toString("utf8").trim());
    });
    socket.on("end", () => {
      const reply = Buffer.concat(received).toString("utf8").replace(/\0$/, "").trim();
      finish(reply ? null : new ScannerUnavailableError("clamd closed without answering"), reply);
    });
    socket.once("connect", () => {
      send(socket).catch(() => finish(new ScannerUnavailableError("clamd stopped reading")));
    });
  });
}

/** Writes `bytes`, waiting for the socket to drain when its buffer is full. */
function write(socket: Socket, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) {
      reject(new Error("socket closed"));
      return;
    }
    socket.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}
