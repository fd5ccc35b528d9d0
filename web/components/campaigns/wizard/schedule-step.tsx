import { useEffect, useState } from "react";
import { zoneLabel, zoneOptions } from "~/components/time-zones";
import { Button } from "~/components/ui/button";
import { Card, CardBody, CardHeader } from "~/components/ui/card";
import { Field } from "~/components/ui/field";
import { SelectField } from "~/components/ui/select";
import { DAYS, formatDays, formatWindow, timeToMinute } from "../format";
import type { ScheduleState } from "./model";

/** Step 5: sending days and hours, in one zone or each lead's own, and an optional start date. */
export function ScheduleStep({
  value,
  onChange,
  zones,
  fieldError,
  disabled,
}: {
  value: ScheduleState;
  onChange: (s: ScheduleState) => void;
  zones: readonly string[];
  fieldError: (path: string) => string | undefined;
  disabled?: boolean;
}) {
  const set = (patch: Partial<ScheduleState>) => onChange({ ...value, ...patch });
  // The viewer's zone, known only after hydration (server and client HTML must agree).
  const [mine, setMine] = useState<string | null>(null);
  useEffect(() => {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && zones.includes(tz)) setMine(tz);
  }, [zones]);
  const toggle = (d: number, on: boolean) => set({ days: on ? [...value.days, d] : value.days.filter((x) => x !== d) });
  const start = timeToMinute(value.start);
  const end = timeToMinute(value.end);
  const overnight = start !== null && end !== null && end !== 0 && end < start;
  const zone = value.timezone === "lead" ? "each lead's time zone" : zoneLabel(value.timezone);
  const daysError = fieldError("schedule.days");
  return (
    <Card>
      <CardHeader
        title="When to send"
        description="Sends only go out inside this window; anything due outside it waits for the next opening."
      />
      <CardBody className="flex flex-col gap-6">
        <fieldset disabled={disabled} aria-describedby={daysError ? "days-error" : undefined}>
          <legend className="text-sm font-medium text-slate-800">Sending days</legend>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            {DAYS.map((d) => (
              <label
                key={d.iso}
                className="relative inline-flex cursor-pointer select-none items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-600 has-[:checked]:text-white has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500"
              >
                <input
                  type="checkbox"
                  className="sr-only"
                  checked={value.days.includes(d.iso)}
                  onChange={(e) => toggle(d.iso, e.target.checked)}
                />
                <span aria-hidden="true">{d.short}</span>
                <span className="sr-only">{d.long}</span>
              </label>
            ))}
            <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden="true" />
            <Button type="button" variant="ghost" size="sm" onClick={() => set({ days: [1, 2, 3, 4, 5] })}>
              Weekdays
            </Button>
            <Button type="button" variant="ghost" size="sm" onClick={() => set({ days: [1, 2, 3, 4, 5, 6, 7] })}>
              Every day
            </Button>
          </div>
          {daysError ? (
            <p id="days-error" className="mt-1.5 text-xs font-medium text-red-600">
              {daysError}
            </p>
          ) : null}
        </fieldset>

        <fieldset disabled={disabled} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <legend className="sr-only">Sending hours</legend>
          <Field
            label="From"
            type="time"
            step={900}
            value={value.start}
            onChange={(e) => set({ start: e.target.value })}
            error={fieldError("schedule.startMinute") ?? fieldError("schedule")}
          />
          <Field
            label="Until"
            type="time"
            step={900}
            value={value.end}
            onChange={(e) => set({ end: e.target.value })}
            error={fieldError("schedule.endMinute")}
            hint={overnight ? "Ends the next morning (an overnight window)." : "00:00 means midnight."}
          />
          <SelectField
            label="Time zone"
            className="lg:col-span-2"
            options={[
              { value: "lead", label: "Each lead's own time zone" },
              ...zoneOptions(zones, value.timezone === "lead" ? null : value.timezone),
            ]}
            value={value.timezone}
            onChange={(e) => set({ timezone: e.target.value })}
            error={fieldError("schedule.timezone")}
            hint={value.timezone === "lead" ? "From the lead's time zone field (set on import or on the lead's page)." : undefined}
          />
          {mine && value.timezone !== mine && !disabled ? (
            <div className="sm:col-span-2 lg:col-span-4 -mt-2">
              <button
                type="button"
                className="text-sm font-medium text-brand-700 underline"
                onClick={() => set(value.timezone === "lead" ? { fallbackTimezone: mine } : { timezone: mine })}
              >
                {value.timezone === "lead" ? "Use my time zone as the fallback" : "Use my time zone"} ({zoneLabel(mine)})
              </button>
            </div>
          ) : null}
        </fieldset>

        <fieldset disabled={disabled} className="grid gap-4 sm:grid-cols-2">
          <legend className="sr-only">Start and fallback</legend>
          {value.timezone === "lead" ? (
            <SelectField
              label="For leads without a time zone"
              options={zoneOptions(zones, value.fallbackTimezone)}
              value={value.fallbackTimezone}
              onChange={(e) => set({ fallbackTimezone: e.target.value })}
              error={fieldError("schedule.fallbackTimezone")}
            />
          ) : null}
          <Field
            label="Start date (optional)"
            type="date"
            value={value.startDate}
            onChange={(e) => set({ startDate: e.target.value })}
            error={fieldError("schedule.startAt")}
            hint={`Nothing is sent before this day (${value.timezone === "lead" ? zoneLabel(value.fallbackTimezone) : zoneLabel(value.timezone)}). Empty: start at launch.`}
          />
        </fieldset>

        <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700" aria-live="polite">
          Sends{" "}
          <span className="font-medium text-slate-900">
            {value.days.length === 7 ? "every day" : value.days.length ? `on ${formatDays(value.days)}` : "on no day"}
          </span>
          , {start !== null && end !== null ? formatWindow(start, end === 0 ? 1440 : end) : `${value.start || "?"}–${value.end || "?"}`}
          {overnight ? " (overnight)" : ""} in {zone}
          {value.startDate ? `, from ${value.startDate}` : ""}.
        </p>
      </CardBody>
    </Card>
  );
}
