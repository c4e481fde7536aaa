import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, resolve, sep } from "node:path";

const contentTypes: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

async function fileAt(path: string): Promise<{ size: number } | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? { size: info.size } : null;
  } catch {
    return null;
  }
}

/**
 * Serves a built web app from `dir` for GET and HEAD: files by path, and `index.html` for any
 * other path without an extension (client-side routes). Dot-files and paths leaving `dir` are
 * never served. Returns false when nothing matched, so the caller answers 404.
 */
export async function serveStatic(
  dir: string,
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const root = resolve(dir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  if (decoded.includes("\0") || decoded.split("/").some((part) => part.startsWith("."))) return false;
  let path = resolve(root, `.${decoded}`);
  if (path !== root && !path.startsWith(root + sep)) return false;
  let file = path === root ? null : await fileAt(path);
  if (!file && extname(decoded) === "") {
    path = resolve(root, "index.html");
    file = await fileAt(path);
  }
  if (!file) return false;
  const type = contentTypes[extname(path).toLowerCase()] ?? "application/octet-stream";
  res.statusCode = 200;
  res.setHeader("Content-Type", type);
  res.setHeader("Content-Length", file.size);
  // Built assets carry a content hash in their name; everything else is revalidated.
  res.setHeader(
    "Cache-Control",
    decoded.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
  );
  if (req.method === "HEAD") {
    res.end();
    return true;
  }
  await new Promise<void>((done) => {
    createReadStream(path)
      .on("error", () => {
        res.destroy();
        done();
      })
      .pipe(res)
      .on("finish", done);
  });
  return true;
}
