import { DropdownMenu } from "radix-ui";
import type * as React from "react";
import { useRef } from "react";
import { cn } from "~/lib/cn";

export interface MenuItem {
  label: string;
  onSelect: () => void;
  tone?: "danger";
}

/**
 * A "⋯" button that opens a keyboard-navigable menu of row actions. Non-modal, so an item can open
 * a dialog right away; `triggerRef` lets that dialog hand focus back here when it closes.
 */
export function RowMenu({ label, items, triggerRef }: { label: string; items: MenuItem[]; triggerRef?: React.Ref<HTMLButtonElement> }) {
  // When an item opens a dialog, the menu must not pull focus back to its button on close: the
  // dialog would see focus leave it and dismiss itself at once.
  const selected = useRef(false);
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger
        ref={triggerRef}
        aria-label={label}
        className="inline-flex size-8 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900 data-[state=open]:bg-slate-100"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5" fill="currentColor">
          <circle cx="4.5" cy="10" r="1.5" />
          <circle cx="10" cy="10" r="1.5" />
          <circle cx="15.5" cy="10" r="1.5" />
        </svg>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={4}
          className="z-50 min-w-48 rounded-lg border border-slate-200 bg-white p-1 shadow-lg"
        >
          {items.map((item) => (
            <DropdownMenu.Item
              key={item.label}
              onSelect={() => {
                selected.current = true;
                item.onSelect();
              }}
              className={cn(
                "cursor-default rounded-md px-2.5 py-2 text-sm outline-none data-[highlighted]:bg-slate-100",
                item.tone === "danger" ? "text-red-700 data-[highlighted]:bg-red-50" : "text-slate-800",
              )}
            >
              {item.label}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
