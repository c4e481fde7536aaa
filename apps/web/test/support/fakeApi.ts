import type { AppRouter } from "@clinic-chat/api";
import { TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";

/** Answers for procedures by path ("files.requestUpload"); anything else fails the test loudly. */
export type Handlers = Record<string, (input: unknown) => unknown>;

/** Every call the fake API received, in order. */
export interface CallLog {
  readonly calls: { path: string; input: unknown }[];
}

/** A tRPC link that answers from handlers in memory instead of over HTTP. */
export function fakeLink(handlers: Handlers, log: CallLog = { calls: [] }): TRPCLink<AppRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        log.calls.push({ path: op.path, input: op.input });
        const handler = handlers[op.path];
        Promise.resolve()
          .then(() => {
            if (!handler) throw new Error(`no fake handler for ${op.path}`);
            return handler(op.input);
          })
          .then(
            (data) => {
              observer.next({ result: { type: "data", data } });
              observer.complete();
            },
            (error: unknown) =>
              observer.error(error instanceof TRPCClientError ? error : TRPCClientError.from(error as Error)),
          );
      });
}

/** A refusal as the API sends it: the human sentence and the domain code in `data`. */
export function refusal(message: string, domainCode: string, httpStatus = 412) {
  return TRPCClientError.from({
    error: {
      message,
      code: -32600,
      data: { code: "PRECONDITION_FAILED", httpStatus, domainCode, details: {} },
    },
  });
}
