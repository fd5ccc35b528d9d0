import { useEffect, useRef } from "react";
import { useFetchers } from "react-router";
import { Alert } from "~/components/ui/alert";
import { cn } from "~/lib/cn";

/** The outcome of an action started from a row, menu or dialog (success unless told). Give it a new object each time. */
export type NoticeMessage = { text: string; tone?: "success" | "warning" } | null;

/**
 * Announces the message (polite live region) and, once the page has finished reloading its data,
 * takes focus if the control that was used is gone (a removed row, a revoke button that no longer
 * applies), so keyboard users are not dropped at the top of the document. While empty it is taken
 * out of the flow (`empty:absolute`) so it adds no gap, but stays in the page as a live region.
 */
export function Notice({ notice, className }: { notice: NoticeMessage; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const busy = useFetchers().some((f) => f.state !== "idle");
  // A new Alert element per message: the same text twice in a row is announced twice.
  const seq = useRef(0);
  const last = useRef(notice);
  if (last.current !== notice) {
    last.current = notice;
    seq.current += 1;
  }
  useEffect(() => {
    if (!notice || busy) return;
    const active = document.activeElement;
    if (!active || active === document.body) ref.current?.focus();
  }, [notice, busy]);
  return (
    <div
      ref={ref}
      tabIndex={-1}
      aria-live="polite"
      className={cn("rounded-md focus:outline-none focus-visible:outline-2 empty:absolute", notice && className)}
    >
      {notice ? (
        <Alert key={seq.current} tone={notice.tone ?? "success"}>
          {notice.text}
        </Alert>
      ) : null}
    </div>
  );
}
