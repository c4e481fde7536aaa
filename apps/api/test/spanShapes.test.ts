import { describe, expect, it } from "vitest";
import { requestUrlAttributes, statementName, statementShape } from "../src/tracing/spanShapes";

describe("what a span may say (OPS-4)", () => {
  it("OPS-4: a statement keeps its shape; literal strings, dollar-quoted ones included, are blanked", () => {
    expect(statementShape("select *\n  from message where text = 'Ada Lovelace' and id = $1")).toBe(
      "select * from message where text = '?' and id = $1",
    );
    expect(statementShape("select $tag$it''s Ada$tag$, 'o''brien'")).toBe("select '?', '?'");
    expect(statementName("  WITH x as (select 1) select 1")).toBe("db with");
  });

  it("OPS-4: a request's URL keeps the route and the query's names, never a value or an unknown path", () => {
    expect(
      requestUrlAttributes("/trpc/messages.send,conversations.list?batch=1&input=%7B%22text%22%7D"),
    ).toEqual({
      "url.path": "/trpc/messages.send,conversations.list",
      "url.query": "batch=REDACTED&input=REDACTED",
    });
    expect(requestUrlAttributes("/trpc/Ada%20Lovelace")).toEqual({ "url.path": "/trpc/…" });
    expect(requestUrlAttributes("/files/Ada%20Lovelace.pdf?Ada=1&Lovelace=2")).toEqual({
      "url.path": "/…",
      "url.query": "other=REDACTED",
    });
  });
});
