import { useRouteLoaderData } from "react-router";

/** The session's CSRF token as a hidden field; every form inside the signed-in layout includes it. */
export function useCsrfToken(): string {
  const data = useRouteLoaderData("routes/app-layout") as { csrf?: string } | undefined;
  return data?.csrf ?? "";
}

export function CsrfInput() {
  return <input type="hidden" name="csrf" value={useCsrfToken()} />;
}
