import { Link, type LinkProps } from "react-router";
import { cn } from "~/lib/cn";

/** An inline text link in the brand colour (for "Sign in instead", "Ask for a new link", …). */
export function TextLink({ className, ...props }: LinkProps) {
  return (
    <Link className={cn("font-medium text-brand-600 underline-offset-2 hover:text-brand-700 hover:underline", className)} {...props} />
  );
}
