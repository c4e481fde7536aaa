import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { putMessages } from "../chat/historyCache";
import { newClientId } from "../chat/useSendText";
import { errorMessage } from "../rpc/errors";
import { useTRPCClient } from "../rpc/trpc";
import { checkFileBeforeUpload, declaredType } from "./fileRules";
import { UploadFailed, uploadToStorage } from "./uploadToStorage";

/** One file on its way into a conversation, as the upload tray shows it. */
export interface Upload {
  readonly clientId: string;
  readonly fileName: string;
  readonly sizeBytes: number;
  /**
   * `checking`: the server checks the bytes it received (FILE-1, FILE-5); `scanning`: the file
   * waits for its malware scan, seen by its sender only (FILE-6).
   */
  readonly status: "uploading" | "checking" | "scanning" | "failed";
  /** 0 to 1 while uploading. */
  readonly progress: number;
  readonly error: string | null;
  /** False when trying again cannot help (a refused type or size). */
  readonly canRetry: boolean;
}

/** Moves the bytes; injectable so component tests need no storage server. */
export type Uploader = typeof uploadToStorage;

/**
 * Shares files in a conversation (FILE-1, FILE-2): the rules are checked in the browser first,
 * then the server presigns an upload, the browser sends the bytes straight to storage with a
 * progress bar, and the server checks what arrived. Only then does the file become a message;
 * a refusal at any step stays in the tray with the reason.
 */
export function useUploads(conversationId: string, uploader: Uploader = uploadToStorage) {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [uploads, setUploads] = useState<readonly Upload[]>([]);
  const files = useRef(new Map<string, File>());
  /** What cancelling each upload stops: its transfer or scan wait, and its file once the server has one. */
  const inFlight = useRef(new Map<string, { controller: AbortController; fileId: string | null }>());

  const update = useCallback((clientId: string, change: Partial<Upload>) => {
    setUploads((all) => all.map((u) => (u.clientId === clientId ? { ...u, ...change } : u)));
  }, []);
  const remove = useCallback((clientId: string) => {
    files.current.delete(clientId);
    inFlight.current.delete(clientId);
    setUploads((all) => all.filter((u) => u.clientId !== clientId));
  }, []);

  const run = useCallback(
    async (clientId: string, file: File): Promise<boolean> => {
      let step: "request" | "upload" | "confirm" = "request";
      const controller = new AbortController();
      const { signal } = controller;
      const flight = { controller, fileId: null as string | null };
      inFlight.current.set(clientId, flight);
      try {
        const { fileId, upload } = await client.files.requestUpload.mutate({
          conversationId,
          clientId,
          fileName: file.name,
          sizeBytes: file.size,
          contentType: declaredType(file),
        });
        flight.fileId = fileId;
        if (signal.aborted) return false;
        step = "upload";
        await uploader(upload, file, (progress) => update(clientId, { progress }), signal);
        step = "confirm";
        update(clientId, { status: "checking", progress: 1 });
        const confirmed = await client.files.confirmUpload.mutate({ fileId });
        if (confirmed.state === "shared") {
          putMessages(queryClient, conversationId, [confirmed.message]);
          remove(clientId);
          return true;
        }
        update(clientId, { status: "scanning" });
        const scanned = await scanOutcome(() => client.files.uploadState.query({ fileId }), signal);
        if (scanned.state === "refused") {
          update(clientId, { status: "failed", error: scanned.sentence, canRetry: false });
          return false;
        }
        // Shared: the message reaches this page, as every other, through the live feed.
        remove(clientId);
        return true;
      } catch (error) {
        // Cancelled by the sender: the tray has let the upload go already.
        if (signal.aborted) return false;
        const refused = step !== "upload" && !(error instanceof UploadFailed) && isRefusal(error);
        update(clientId, {
          status: "failed",
          error: error instanceof UploadFailed ? error.message : errorMessage(error),
          canRetry: !refused,
        });
        return false;
      }
    },
    [client, conversationId, queryClient, remove, update, uploader],
  );

  const start = useCallback(
    (file: File): Promise<boolean> => {
      const clientId = newClientId();
      const problem = checkFileBeforeUpload(file);
      const upload: Upload = {
        clientId,
        fileName: file.name,
        sizeBytes: file.size,
        status: problem ? "failed" : "uploading",
        progress: 0,
        error: problem,
        canRetry: false,
      };
      setUploads((all) => [...all, upload]);
      if (problem) return Promise.resolve(false);
      files.current.set(clientId, file);
      return run(clientId, file);
    },
    [run],
  );

  const retry = useCallback(
    (clientId: string) => {
      const file = files.current.get(clientId);
      if (!file) return;
      update(clientId, { status: "uploading", progress: 0, error: null, canRetry: false });
      void run(clientId, file);
    },
    [run, update],
  );

  /**
   * FILE-8: stops an upload the sender no longer wants: its transfer, or its wait for the check;
   * a file the server already holds is withdrawn (object and record removed).
   */
  const cancel = useCallback(
    (clientId: string) => {
      const flight = inFlight.current.get(clientId);
      remove(clientId);
      if (!flight) return;
      flight.controller.abort();
      if (flight.fileId)
        void client.files.cancelUpload.mutate({ fileId: flight.fileId }).catch(() => undefined);
    },
    [client, remove],
  );

  return { uploads, start, retry, cancel, dismiss: remove };
}

/** How often a sender's page asks whether their file's malware scan is done. */
const scanPollMs = 2000;

type ScanOutcome = { readonly state: "shared" } | { readonly state: "refused"; readonly sentence: string };

/** Waits for the malware scan of a confirmed upload (FILE-6), asking every {@link scanPollMs}. */
export async function scanOutcome(
  ask: () => Promise<{ state: "checking" } | { state: "shared" } | { state: "refused"; sentence: string }>,
  signal?: AbortSignal,
): Promise<ScanOutcome> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, scanPollMs));
    signal?.throwIfAborted();
    const answer = await ask();
    if (answer.state !== "checking") return answer;
  }
}

function isRefusal(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } } | null)?.data?.httpStatus ?? 0;
  return status >= 400 && status < 500;
}
