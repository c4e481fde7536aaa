import { useQuery } from "@tanstack/react-query";
import { useTRPCClient } from "../rpc/trpc";

/** How often the page asks again while an image's renditions are still being made. */
const makingPollMs = 1000;
/** Links live 5 minutes (FILE-3): ask for fresh ones well before that. */
const linkLifetimeMs = 4 * 60 * 1000;

/** The image types that get server-made renditions (FILE-7; the server decides, this only asks). */
const previewedImages = new Set(["image/jpeg", "image/png", "image/heic"]);

/** True when a file of `contentType` shows a thumbnail and opens in the image viewer. */
export const isPreviewedImage = (contentType: string) => previewedImages.has(contentType.toLowerCase());

/** True when a file of `contentType` opens in the PDF viewer of the page. */
export const isPdf = (contentType: string) => contentType.toLowerCase() === "application/pdf";

/**
 * A shared image's rendition (FILE-7): a short-lived link, issued and audited like a download
 * (FILE-3), asked for again while the server is still making it and before it expires.
 */
export function useImagePreview(fileId: string, rendition: "thumbnail" | "display", enabled = true) {
  const client = useTRPCClient();
  return useQuery({
    queryKey: ["file-preview", fileId, rendition],
    enabled,
    queryFn: async () => {
      const preview = await client.files.preview.mutate({ fileId, renditions: [rendition] });
      if (preview.state !== "ready") return { state: preview.state } as const;
      const link = preview.links[rendition];
      return {
        state: "ready",
        url: link?.url ?? "",
        width: preview.width,
        height: preview.height,
      } as const;
    },
    staleTime: linkLifetimeMs,
    gcTime: linkLifetimeMs,
    refetchInterval: (query) => (query.state.data?.state === "making" ? makingPollMs : linkLifetimeMs),
    refetchOnWindowFocus: false,
    retry: 1,
  });
}
