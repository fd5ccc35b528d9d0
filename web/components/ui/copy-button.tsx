import { useEffect, useState } from "react";
import { Button } from "~/components/ui/button";

/**
 * Copies `value` to the clipboard; announces the outcome to screen readers. In tables, `ariaLabel`
 * says what is copied ("Copy DKIM value"; it should start with the visible label) and `iconOnly`
 * keeps the button small.
 */
export function CopyButton({
  value,
  label = "Copy",
  ariaLabel,
  iconOnly = false,
}: {
  value: string;
  label?: string;
  ariaLabel?: string;
  iconOnly?: boolean;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 2500);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <>
      <Button
        type="button"
        variant="secondary"
        size="sm"
        aria-label={ariaLabel ?? (iconOnly ? label : undefined)}
        title={iconOnly ? (ariaLabel ?? label) : undefined}
        className={iconOnly ? "size-8 shrink-0 px-0" : undefined}
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(value);
            setState("copied");
          } catch {
            setState("failed");
          }
        }}
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.5">
          {state === "copied" ? (
            <path d="m4.5 10.5 3.5 3.5 7.5-8" />
          ) : (
            <>
              <rect x="7" y="7" width="9" height="9" rx="1.5" />
              <path d="M13 7V5.5A1.5 1.5 0 0 0 11.5 4h-6A1.5 1.5 0 0 0 4 5.5v6A1.5 1.5 0 0 0 5.5 13H7" />
            </>
          )}
        </svg>
        {iconOnly ? null : state === "copied" ? "Copied" : label}
      </Button>
      <span role="status" className="sr-only">
        {state === "copied" ? "Copied to the clipboard." : state === "failed" ? "Could not copy; select the text and copy it by hand." : ""}
      </span>
    </>
  );
}
