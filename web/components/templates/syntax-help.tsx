const ROWS: { code: string; meaning: string }[] = [
  { code: "{{first_name}}", meaning: "The lead's first name. Also last_name, email, company, title, phone, website, city, country." },
  { code: '{{first_name | default: "there"}}', meaning: "With a fallback, used when the lead has no value." },
  { code: "{{custom.industry}}", meaning: "A custom field imported with your leads." },
  { code: "{{sender.first_name}}", meaning: "The sending mailbox: sender.first_name, sender.last_name, sender.email, sender.signature." },
  { code: "{Hi|Hello|Hey}", meaning: "Spintax: each lead gets one option, the same one every time." },
  { code: "{Hi|Hello} {there|{{first_name}}}", meaning: "Options can nest and contain variables." },
  { code: "\\{ \\} \\|", meaning: "A literal brace or bar." },
];

/** The short syntax reference under the editor (workers/templates/README.md, in the user's words). */
export function SyntaxHelp() {
  return (
    <details className="group rounded-md border border-slate-200 bg-slate-50 text-sm">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md px-3 py-2 font-medium text-slate-800 [&::-webkit-details-marker]:hidden">
        <svg
          aria-hidden="true"
          viewBox="0 0 20 20"
          className="size-4 text-slate-500 transition-transform group-open:rotate-90"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
        >
          <path d="m7.5 5 5 5-5 5" />
        </svg>
        Syntax cheat-sheet
      </summary>
      <div className="border-t border-slate-200 px-3 py-3">
        <dl className="grid gap-x-6 gap-y-3 lg:grid-cols-2">
          {ROWS.map((r) => (
            <div key={r.code} className="flex flex-col gap-1">
              <dt>
                <code className="break-all rounded bg-white px-1.5 py-0.5 font-mono text-xs text-slate-900 ring-1 ring-slate-200">
                  {r.code}
                </code>
              </dt>
              <dd className="text-slate-600">{r.meaning}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-3 text-xs text-slate-500">
          Every message ends with your postal address and an unsubscribe link, added for you; you cannot place or remove them with
          variables. Unknown variables and unbalanced braces block saving; a field without a fallback that some leads lack is a warning.
        </p>
      </div>
    </details>
  );
}
