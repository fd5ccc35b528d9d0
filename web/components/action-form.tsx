import { useEffect, useRef } from "react";
import { useFetcher } from "react-router";

/** What the settings actions return (the shape of handleForm's result, see web/lib/forms.server.ts). */
export type ActionResult<R = unknown> = {
  ok: boolean;
  intent?: string;
  message?: string | null;
  formError?: string | null;
  fieldErrors?: Record<string, string[] | undefined>;
  values?: Record<string, string>;
  result?: R;
};

/**
 * One form's submit state. Each form gets its own fetcher, so its busy state, errors and success
 * message stay with it (several forms share one route action, dispatched by a hidden `intent`).
 * Inputs keep what was typed on error; `reset` clears the form after a success.
 */
export function useActionForm<R = unknown>({
  onSuccess,
  reset = false,
}: {
  onSuccess?: (data: ActionResult<R>) => void;
  reset?: boolean;
} = {}) {
  const fetcher = useFetcher<ActionResult<R>>();
  const formRef = useRef<HTMLFormElement>(null);
  const seen = useRef(fetcher.data);
  const onSuccessRef = useRef(onSuccess);
  onSuccessRef.current = onSuccess;

  // Fires when the action's answer arrives (before the revalidation finishes), so it still runs
  // when the revalidated page no longer renders this form (e.g. the deleted row's dialog).
  useEffect(() => {
    if (fetcher.data === seen.current) return;
    seen.current = fetcher.data;
    if (fetcher.data?.ok) {
      if (reset) formRef.current?.reset();
      onSuccessRef.current?.(fetcher.data);
    }
  }, [fetcher.data, reset]);

  const data = fetcher.data;
  const failed = data && !data.ok ? data : undefined;
  return {
    fetcher,
    Form: fetcher.Form,
    formRef,
    busy: fetcher.state !== "idle",
    data,
    succeeded: data?.ok ? data : undefined,
    formError: failed?.formError ?? undefined,
    fieldError: (name: string): string | undefined => failed?.fieldErrors?.[name]?.[0],
  };
}
