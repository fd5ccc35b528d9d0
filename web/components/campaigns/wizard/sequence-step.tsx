import { Tabs } from "radix-ui";
import { useEffect, useRef, useState } from "react";
import { offsetOf } from "~/components/templates/issues";
import type { PreviewLead } from "~/components/templates/template-preview";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Field } from "~/components/ui/field";
import { SelectField } from "~/components/ui/select";
import { cn } from "~/lib/cn";
import { CONDITION_OPTIONS, type Condition, conditionLabel, waitPhrase } from "../format";
import { emptyStep, emptyVariant, MAX_STEPS, MAX_VARIANTS, type SequenceStepState, type VariantState } from "./model";
import { type TemplateOption, VariantEditor } from "./variant-editor";
import { VariantPreview } from "./variant-preview";

const letter = (i: number) => String.fromCharCode(65 + i);

function waitSummary(s: SequenceStepState, i: number) {
  if (i === 0) return "Sent first, in the next sending window after launch.";
  const minutes = (Number(s.waitDays) || 0) * 1440 + (Number(s.waitHours) || 0) * 60;
  return `${waitPhrase(minutes, i)} · ${conditionLabel(s.condition).toLowerCase()}`;
}

/**
 * Step 3 of the wizard: up to seven e-mails, each with its wait and condition and one to five A/B
 * variants, beside the live preview of the variant being edited.
 */
export function SequenceStep({
  steps,
  onChange,
  templates,
  customFields,
  leads,
  workspaceId,
  fieldError,
  disabled,
}: {
  steps: SequenceStepState[];
  onChange: (steps: SequenceStepState[]) => void;
  templates: readonly TemplateOption[];
  customFields: readonly { key: string; label: string }[];
  leads: readonly PreviewLead[];
  workspaceId: string;
  fieldError: (path: string) => string | undefined;
  disabled?: boolean;
}) {
  const [tab, setTab] = useState<Record<string, string>>({});
  const [focus, setFocus] = useState<{ step: string; variant: string } | null>(null);
  const focusAfter = useRef<string | null>(null);
  useEffect(() => {
    if (!focusAfter.current) return;
    document.getElementById(focusAfter.current)?.focus();
    focusAfter.current = null;
  });

  const setStep = (i: number, patch: Partial<SequenceStepState>) => onChange(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const setVariant = (i: number, v: number, patch: Partial<VariantState>) =>
    setStep(i, { variants: steps[i]!.variants.map((x, k) => (k === v ? { ...x, ...patch } : x)) });

  const focused =
    steps.flatMap((s) => s.variants.map((v) => ({ s, v }))).find((x) => x.s.key === focus?.step && x.v.key === focus?.variant) ??
    (steps[0]?.variants[0] ? { s: steps[0], v: steps[0].variants[0] } : null);
  const focusedStep = focused ? steps.indexOf(focused.s) : -1;
  const focusedVariant = focused ? focused.s.variants.indexOf(focused.v) : -1;

  return (
    <div className="grid grid-cols-1 items-start gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
      <div className="flex flex-col gap-4">
        <ol className="flex flex-col gap-4" aria-label="E-mails in this sequence">
          {steps.map((s, i) => {
            const selected = s.variants.some((v) => v.key === tab[s.key]) ? tab[s.key]! : s.variants[0]!.key;
            return (
              <li key={s.key}>
                <Card className={cn(focused?.s.key === s.key && "ring-1 ring-brand-500/30")}>
                  <header className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-5 py-4">
                    <div>
                      <h3 id={`${s.key}-heading`} tabIndex={-1} className="text-base font-semibold text-slate-900 focus:outline-none">
                        Step {i + 1}
                        {i === 0 ? " · First e-mail" : " · Follow-up"}
                      </h3>
                      <p className="mt-0.5 text-sm text-slate-500">{waitSummary(s, i)}</p>
                    </div>
                    {i > 0 && !disabled ? (
                      <Button
                        type="button"
                        variant="ghost"
                        size="sm"
                        className="text-red-700 hover:bg-red-50"
                        aria-label={`Remove step ${i + 1}`}
                        onClick={() => {
                          focusAfter.current = `${steps[i - 1]!.key}-heading`;
                          onChange(steps.filter((_, j) => j !== i));
                        }}
                      >
                        Remove step
                      </Button>
                    ) : null}
                  </header>
                  <div className="flex flex-col gap-5 px-5 py-4">
                    {i > 0 ? (
                      <fieldset className="grid gap-4 sm:grid-cols-[7rem_7rem_minmax(0,1fr)]">
                        <legend className="sr-only">When to send step {i + 1}</legend>
                        <Field
                          id={`${s.key}-wait`}
                          label="Wait (days)"
                          type="number"
                          min={0}
                          max={90}
                          inputMode="numeric"
                          value={s.waitDays}
                          onChange={(e) => setStep(i, { waitDays: e.target.value })}
                          disabled={disabled}
                          error={fieldError(`steps.${i}.waitMinutes`)}
                        />
                        <Field
                          label="and hours"
                          type="number"
                          min={0}
                          max={23}
                          inputMode="numeric"
                          value={s.waitHours}
                          onChange={(e) => setStep(i, { waitHours: e.target.value })}
                          disabled={disabled}
                        />
                        <SelectField
                          label="Send this step"
                          options={CONDITION_OPTIONS}
                          value={s.condition}
                          onChange={(e) => setStep(i, { condition: e.target.value as Condition })}
                          disabled={disabled}
                          error={fieldError(`steps.${i}.condition`)}
                        />
                      </fieldset>
                    ) : null}
                    <Tabs.Root
                      value={selected}
                      onValueChange={(v) => {
                        setTab((t) => ({ ...t, [s.key]: v }));
                        setFocus({ step: s.key, variant: v });
                      }}
                      className="flex flex-col gap-4"
                    >
                      <div className="flex flex-wrap items-center gap-2">
                        <Tabs.List aria-label={`Variants of step ${i + 1}`} className="inline-flex flex-wrap rounded-md bg-slate-100 p-0.5">
                          {s.variants.map((v, k) => {
                            const bad = ["subject", "text", "html"].some((p) => fieldError(`steps.${i}.variants.${k}.${p}`));
                            return (
                              <Tabs.Trigger
                                key={v.key}
                                value={v.key}
                                className="rounded px-3 py-1 text-sm font-medium text-slate-600 data-[state=active]:bg-white data-[state=active]:text-slate-900 data-[state=active]:shadow-xs"
                              >
                                Variant {letter(k)}
                                {bad ? (
                                  <span className="ml-1 text-red-600">
                                    <span aria-hidden="true">•</span>
                                    <span className="sr-only"> (has errors)</span>
                                  </span>
                                ) : null}
                              </Tabs.Trigger>
                            );
                          })}
                        </Tabs.List>
                        {s.variants.length < MAX_VARIANTS && !disabled ? (
                          <Button
                            type="button"
                            variant="ghost"
                            size="sm"
                            onClick={() => {
                              const v = emptyVariant();
                              setStep(i, { variants: [...s.variants, v] });
                              setTab((t) => ({ ...t, [s.key]: v.key }));
                              setFocus({ step: s.key, variant: v.key });
                              focusAfter.current = `${v.key}-subject`;
                            }}
                          >
                            + Add variant (A/B test)
                          </Button>
                        ) : null}
                      </div>
                      {s.variants.length > 1 ? (
                        <p className="text-xs text-slate-500">
                          Leads are split evenly between the {s.variants.length} variants; each lead always gets the same one.
                        </p>
                      ) : null}
                      {s.variants.map((v, k) => (
                        <Tabs.Content key={v.key} value={v.key} className="flex flex-col gap-4 focus:outline-none">
                          <VariantEditor
                            variant={v}
                            label={letter(k)}
                            templates={templates}
                            customFields={customFields}
                            error={(part) => fieldError(`steps.${i}.variants.${k}.${part}`)}
                            onChange={(patch) => setVariant(i, k, patch)}
                            onFocus={() => setFocus({ step: s.key, variant: v.key })}
                            disabled={disabled}
                          />
                          {s.variants.length > 1 && !disabled ? (
                            <div>
                              <Button
                                type="button"
                                variant="ghost"
                                size="sm"
                                className="text-red-700 hover:bg-red-50"
                                onClick={() => {
                                  const rest = s.variants.filter((_, j) => j !== k);
                                  setStep(i, { variants: rest });
                                  const next = rest[Math.max(0, k - 1)]!;
                                  setTab((t) => ({ ...t, [s.key]: next.key }));
                                  focusAfter.current = `${next.key}-subject`;
                                }}
                              >
                                Remove variant {letter(k)}
                              </Button>
                            </div>
                          ) : null}
                        </Tabs.Content>
                      ))}
                    </Tabs.Root>
                  </div>
                </Card>
              </li>
            );
          })}
        </ol>
        {!disabled ? (
          <div className="flex flex-wrap items-center gap-3">
            <Button
              type="button"
              variant="secondary"
              disabled={steps.length >= MAX_STEPS}
              onClick={() => {
                const s = emptyStep(false);
                onChange([...steps, s]);
                setFocus({ step: s.key, variant: s.variants[0]!.key });
                focusAfter.current = `${s.key}-wait`;
              }}
            >
              + Add follow-up
            </Button>
            <span className="text-sm text-slate-500">
              {steps.length} of {MAX_STEPS} e-mails
            </span>
          </div>
        ) : null}
      </div>
      <div className="flex flex-col gap-2 xl:sticky xl:top-6">
        {focused ? (
          <>
            <p className="text-sm font-medium text-slate-700" aria-live="polite">
              Previewing step {focusedStep + 1}, variant {letter(focusedVariant)}
            </p>
            <VariantPreview
              workspaceId={workspaceId}
              subject={focused.v.subject}
              text={focused.v.text}
              html={focused.v.html}
              leads={leads}
              onJump={(issue) => {
                const el = document.getElementById(`${focused.v.key}-${issue.part}`);
                if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) return;
                const at = Math.min(issue.index ?? offsetOf(el.value, issue.line, issue.column), el.value.length);
                el.focus();
                el.setSelectionRange(at, at);
              }}
            />
          </>
        ) : null}
      </div>
    </div>
  );
}
