import { lazy, Suspense } from "react";
import { Dialog } from "../ui/Dialog";
import { Loading } from "../ui/Feedback";

// The form loads the first time the dialog opens, keeping the Chat page's first load small.
const StartChatForm = lazy(() => import("./StartChatForm").then((m) => ({ default: m.StartChatForm })));

/** The Chat page's "Start a chat" dialog (entry point 1): the form of {@link StartChatForm}. */
export function StartChatDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} title="Start a chat" onClose={onClose}>
      <Suspense fallback={<Loading label="Opening…" />}>
        <StartChatForm onDone={onClose} />
      </Suspense>
    </Dialog>
  );
}
