import { AnnotationMode, GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";
import { useEffect, useRef, useState } from "react";
import { useTRPCClient } from "../rpc/trpc";
import { Dialog } from "../ui/Dialog";
import { ErrorText, Loading } from "../ui/Feedback";
import type { ViewableFile } from "./FileViewerContext";
import { useRestoreFocus } from "./useRestoreFocus";

// The worker is served from our own origin, as the Content-Security-Policy requires.
GlobalWorkerOptions.workerSrc = workerUrl;

/** Pages drawn at most: a longer PDF is read past them by downloading it. */
const maxPages = 100;
/** The widest a page is drawn, in CSS pixels. */
const pageWidth = 820;

/**
 * The PDF viewer of the page (FILE-7), loaded only when a PDF is first opened. The file comes
 * through a fresh audited download link (FILE-3) and is drawn page by page onto canvases by
 * pdf.js: only drawing, so nothing in the PDF runs. Its scripts are never given to a scripting
 * sandbox (none is loaded), XFA forms are not rendered, and annotations are drawn, not made live.
 * pdf.js compiles no code from a PDF, and the page's Content-Security-Policy allows no eval.
 */
export function PdfViewer({ file, onClose }: { file: ViewableFile; onClose: () => void }) {
  useRestoreFocus();
  const client = useTRPCClient();
  const pagesRef = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<
    | { step: "loading" }
    | { step: "shown"; pages: number; document: PDFDocumentProxy }
    | { step: "failed"; message: string }
  >({ step: "loading" });

  useEffect(() => {
    let cancelled = false;
    let opened: PDFDocumentProxy | null = null;
    (async () => {
      const link = await client.files.download.mutate({ fileId: file.id });
      const response = await fetch(link.url);
      if (!response.ok) throw new Error("download");
      const data = new Uint8Array(await response.arrayBuffer());
      opened = await getDocument({ data, enableXfa: false, stopAtErrors: false }).promise;
      if (!cancelled) setState({ step: "shown", pages: opened.numPages, document: opened });
    })().catch(() => {
      if (!cancelled)
        setState({ step: "failed", message: "This PDF cannot be shown here. Download it to read it." });
    });
    return () => {
      cancelled = true;
      void (opened as PDFDocumentProxy | null)?.loadingTask.destroy();
    };
  }, [client, file.id]);

  const document = state.step === "shown" ? state.document : null;
  useEffect(() => {
    if (!document) return;
    let cancelled = false;
    (async () => {
      for (let number = 1; number <= Math.min(document.numPages, maxPages) && !cancelled; number++) {
        const page = await document.getPage(number);
        const canvas = pagesRef.current?.querySelector<HTMLCanvasElement>(`[data-page="${number}"]`);
        if (!canvas) continue;
        const unscaled = page.getViewport({ scale: 1 });
        const ratio = window.devicePixelRatio || 1;
        const viewport = page.getViewport({ scale: (pageWidth / unscaled.width) * ratio });
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        await page.render({ canvas, viewport, annotationMode: AnnotationMode.ENABLE }).promise;
      }
    })().catch(() => {
      if (!cancelled)
        setState({ step: "failed", message: "This PDF cannot be shown here. Download it to read it." });
    });
    return () => {
      cancelled = true;
    };
  }, [document]);

  const shown = state.step === "shown" ? Math.min(state.pages, maxPages) : 0;
  return (
    <Dialog open title="PDF" onClose={onClose}>
      <div className="pdf-viewer">
        <p className="pdf-viewer__name file-name">{file.name}</p>
        {state.step === "loading" ? <Loading label="Opening the PDF…" /> : null}
        {state.step === "failed" ? <ErrorText>{state.message}</ErrorText> : null}
        {state.step === "shown" ? (
          <section
            ref={pagesRef}
            className="pdf-viewer__pages"
            // Focusable so the arrow and page keys scroll the pages.
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard
            tabIndex={0}
            aria-label={`${state.pages} ${state.pages === 1 ? "page" : "pages"}`}
          >
            {Array.from({ length: shown }, (_, index) => (
              <canvas
                // biome-ignore lint/suspicious/noArrayIndexKey: pages are numbered, never reordered
                key={index}
                data-page={index + 1}
                className="pdf-viewer__page"
                role="img"
                aria-label={`Page ${index + 1} of ${state.pages}`}
              />
            ))}
            {state.pages > maxPages ? (
              <p className="hint">
                Only the first {maxPages} pages are shown. Download the file to read the rest.
              </p>
            ) : null}
          </section>
        ) : null}
      </div>
    </Dialog>
  );
}
