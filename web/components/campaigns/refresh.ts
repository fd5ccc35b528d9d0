import { useEffect, useRef } from "react";
import { useRevalidator } from "react-router";

/**
 * Reloads the page's data every `intervalMs` while it is non-null, skipping ticks while the tab is
 * hidden or a reload is already running, and once more when the tab becomes visible again.
 */
export function useAutoRefresh(intervalMs: number | null) {
  const revalidator = useRevalidator();
  const ref = useRef(revalidator);
  ref.current = revalidator;
  useEffect(() => {
    if (!intervalMs) return;
    const tick = () => {
      if (document.visibilityState === "visible" && ref.current.state === "idle") void ref.current.revalidate();
    };
    const id = setInterval(tick, intervalMs);
    const onVisible = () => document.visibilityState === "visible" && tick();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(id);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [intervalMs]);
  return revalidator.state !== "idle";
}
