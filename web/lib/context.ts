import { createContext } from "react-router";
import type { RequestScope } from "../../workers/platform/context.ts";

/** The per-request scope the Worker entry builds; loaders and actions read it with context.get(). */
export const scopeContext = createContext<RequestScope>();

/** The Worker's bindings, for the few dashboard actions that call a Durable Object directly (IP limits). */
export const envContext = createContext<Env>();
