import { useEffect, useRef, useState } from "react";
import { useFetcher } from "react-router";
import { useCsrfToken } from "~/components/csrf-input";
import type { EditorIssue } from "~/components/templates/issues";
import { type PreviewLead, type PreviewResult, TemplatePreview } from "~/components/templates/template-preview";

interface PreviewActionData {
  intent: "preview";
  ok: boolean;
  formError?: string;
  preview?: PreviewResult;
}

/**
 * The template editor's live preview, for the variant being edited: posts intent=preview to the
 * route action (web/routes/templates/forms.server.ts runPreview) ~400 ms after typing stops,
 * without reloading the page's data.
 */
export function VariantPreview({
  workspaceId,
  subject,
  text,
  html,
  leads,
  onJump,
}: {
  workspaceId: string;
  subject: string;
  text: string;
  html: string;
  leads: readonly PreviewLead[];
  onJump: (issue: EditorIssue) => void;
}) {
  const csrf = useCsrfToken();
  const [leadId, setLeadId] = useState("");
  const preview = useFetcher<PreviewActionData>();
  const submit = useRef(preview.submit);
  submit.current = preview.submit;
  const key = JSON.stringify([subject, text, html, leadId, workspaceId]);
  const [sentKey, setSentKey] = useState<string | null>(null);
  const first = useRef(true);
  useEffect(() => {
    const [s, t, h, lead, ws] = JSON.parse(key) as string[];
    const timer = setTimeout(
      () => {
        const fd = new FormData();
        fd.set("csrf", csrf);
        fd.set("intent", "preview");
        fd.set("workspaceId", ws ?? "");
        fd.set("leadId", lead ?? "");
        fd.set("subject", s ?? "");
        fd.set("text", t ?? "");
        fd.set("html", h ?? "");
        void submit.current(fd, { method: "post", defaultShouldRevalidate: false });
        setSentKey(key);
        first.current = false;
      },
      first.current ? 0 : 400,
    );
    return () => clearTimeout(timer);
  }, [key, csrf]);
  const data = preview.data;
  const raw = data?.ok ? data.preview : undefined;
  // An empty body is asked for, not flagged, while writing (the launch checklist still refuses it).
  const result = raw && { ...raw, errors: raw.errors.filter((e) => e.code !== "EMPTY_TEXT") };
  return (
    <TemplatePreview
      result={result}
      pending={sentKey !== key || preview.state !== "idle"}
      formError={data && !data.ok ? data.formError : undefined}
      leads={leads}
      leadId={leads.some((l) => l.id === leadId) ? leadId : ""}
      onLeadChange={setLeadId}
      onJump={onJump}
    />
  );
}
