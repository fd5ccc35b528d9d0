import type * as React from "react";
import { cn } from "~/lib/cn";

const TONES = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-200",
  brand: "bg-brand-50 text-brand-700 ring-brand-100",
  success: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  warning: "bg-amber-50 text-amber-800 ring-amber-200",
  danger: "bg-red-50 text-red-700 ring-red-200",
} as const;

export type BadgeTone = keyof typeof TONES;

export function Badge({ tone = "neutral", className, ...props }: React.HTMLAttributes<HTMLSpanElement> & { tone?: BadgeTone }) {
  return (
    <span
      className={cn(
        "inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        TONES[tone],
        className,
      )}
      {...props}
    />
  );
}

/** Tenant roles (owner/admin/member) and workspace roles (admin/member/viewer) in one consistent palette. */
export function RoleBadge({ role }: { role: string }) {
  const tone: BadgeTone = role === "owner" ? "brand" : role === "admin" ? "warning" : "neutral";
  return <Badge tone={tone}>{role.charAt(0).toUpperCase() + role.slice(1)}</Badge>;
}
