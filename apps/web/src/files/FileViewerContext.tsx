import {
  createContext,
  lazy,
  type ReactNode,
  Suspense,
  useCallback,
  useContext,
  useMemo,
  useState,
} from "react";
import { Loading } from "../ui/Feedback";
import { isPdf, isPreviewedImage } from "./useImagePreview";

/** A shared file as the viewers need it. */
export interface ViewableFile {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
}

type Opener = (file: ViewableFile) => void;

const ViewerContext = createContext<Opener | null>(null);

/** pdf.js is large: it loads the first time a PDF is opened, never with the page. */
const PdfViewer = lazy(() => import("./PdfViewer").then((module) => ({ default: module.PdfViewer })));

/** The image viewer loads the first time an image is opened: the chat page's first load stays small. */
const ImageViewer = lazy(() => import("./ImageViewer").then((module) => ({ default: module.ImageViewer })));

/**
 * Opens a conversation's files in the page (FILE-7): images in the image viewer, with the
 * conversation's other images a key press away, PDFs in the PDF viewer.
 */
export function FileViewerProvider({
  files,
  children,
}: {
  files: readonly ViewableFile[];
  children: ReactNode;
}) {
  const [open, setOpen] = useState<ViewableFile | null>(null);
  const images = useMemo(() => files.filter((file) => isPreviewedImage(file.contentType)), [files]);
  const close = useCallback(() => setOpen(null), []);
  return (
    <ViewerContext.Provider value={setOpen}>
      {children}
      {open && isPreviewedImage(open.contentType) ? (
        <Suspense fallback={<Loading label="Opening the image viewer…" />}>
          <ImageViewer
            images={images.some((image) => image.id === open.id) ? images : [open]}
            current={open.id}
            onShow={setOpen}
            onClose={close}
          />
        </Suspense>
      ) : null}
      {open && isPdf(open.contentType) ? (
        <Suspense fallback={<Loading label="Opening the PDF viewer…" />}>
          <PdfViewer file={open} onClose={close} />
        </Suspense>
      ) : null}
    </ViewerContext.Provider>
  );
}

/** Opens a file in its viewer; null outside a conversation (the file then offers its download only). */
export function useFileViewer(): Opener | null {
  return useContext(ViewerContext);
}

/** True when `file` opens in a viewer of the page. */
export function opensInPage(file: ViewableFile): boolean {
  return isPreviewedImage(file.contentType) || isPdf(file.contentType);
}
