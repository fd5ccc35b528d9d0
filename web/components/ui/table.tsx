import type * as React from "react";
import { cn } from "~/lib/cn";

/** A plain, semantic table that scrolls sideways on narrow screens instead of squashing columns. */
export function Table({ className, caption, children, ...props }: React.TableHTMLAttributes<HTMLTableElement> & { caption?: string }) {
  return (
    <div className="relative -mx-5 overflow-x-auto">
      <table className={cn("w-full min-w-[36rem] border-collapse text-left text-sm", className)} {...props}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

export function THead(props: React.HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className="border-b border-slate-200 text-xs font-medium uppercase tracking-wide text-slate-500" {...props} />;
}

export function TBody({ className, ...props }: React.HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className={cn("divide-y divide-slate-100", className)} {...props} />;
}

export function TR({ className, ...props }: React.HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("align-top", className)} {...props} />;
}

export function TH({ className, ...props }: React.ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={cn("whitespace-nowrap px-3 py-2.5 font-medium first:pl-5 last:pr-5", className)} {...props} />;
}

export function TD({ className, ...props }: React.TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn("px-3 py-3 first:pl-5 last:pr-5", className)} {...props} />;
}
