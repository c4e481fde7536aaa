import { useImagePreview } from "./useImagePreview";

/** The largest a thumbnail is shown, in CSS pixels (its rendition is twice that, for sharp screens). */
const shownPixels = 240;

/**
 * An image's thumbnail in its message (FILE-7): a button that opens the image viewer. While the
 * server is still making the renditions it holds the image's place; an image that could not be
 * read keeps the plain file card.
 */
export function Thumbnail({ file, onOpen }: { file: { id: string; name: string }; onOpen: () => void }) {
  const preview = useImagePreview(file.id, "thumbnail");
  const data = preview.data;
  if (data?.state === "none" || preview.isError) return null;
  const ready = data?.state === "ready";
  const scale = ready ? Math.min(1, shownPixels / Math.max(data.width, data.height)) : 1;
  return (
    <button
      type="button"
      className="thumbnail"
      onClick={onOpen}
      disabled={!ready}
      aria-label={ready ? `Open image ${file.name}` : `Preparing a preview of ${file.name}`}
    >
      {ready ? (
        <img
          src={data.url}
          alt=""
          width={Math.round(data.width * scale)}
          height={Math.round(data.height * scale)}
          data-testid="thumbnail"
        />
      ) : (
        <span className="thumbnail__placeholder" aria-hidden="true" />
      )}
    </button>
  );
}
