import { type QueryClient, useQuery } from "@tanstack/react-query";
import { useTRPCClient } from "../rpc/trpc";

/** The query key of every preview the page shows. */
const previewKey = "file-preview";
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
 * (FILE-3), asked for again before it expires. While the server is still making it the page does
 * not ask again on a timer (each ask is an audited link): the live feed's `file.preview_ready`
 * says when to ask, through {@link askForWaitingPreviews}.
 */
export function useImagePreview(fileId: string, rendition: "thumbnail" | "display", enabled = true) {
  const client = useTRPCClient();
  return useQuery({
    queryKey: [previewKey, fileId, rendition],
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
    refetchInterval: linkLifetimeMs,
    refetchOnWindowFocus: false,
    retry: 1,
  });
}

/**
 * Asks again for the previews still being made, or whose first answer is on its way (it may
 * have been read just before the renditions were noted): once per `file.preview_ready`.
 */
export function askForWaitingPreviews(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({
    queryKey: [previewKey],
    predicate: (query) => {
      const data = query.state.data as { state?: string } | undefined;
      return data === undefined || data.state === "making";
    },
  });
}
