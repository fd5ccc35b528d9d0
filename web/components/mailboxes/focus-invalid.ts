import { type RefObject, useEffect } from "react";

/** After a refused submit, puts focus on the first field marked invalid (or on the form's alert). */
export function useFocusFirstInvalid(formRef: RefObject<HTMLFormElement | null>, failed: unknown) {
  useEffect(() => {
    if (!failed) return;
    const form = formRef.current;
    const target = form?.querySelector<HTMLElement>("[aria-invalid=true]") ?? form?.querySelector<HTMLElement>("[role=alert]");
    if (!target) return;
    if (target.closest("[hidden]")) return;
    if (target.getAttribute("role") === "alert") target.setAttribute("tabindex", "-1");
    target.focus();
  }, [formRef, failed]);
}
