import { createContext } from "react-router";
import type { RequestScope } from "../../workers/platform/context.ts";

/** The per-request scope the Worker entry builds; loaders and actions read it with context.get(). */
export const scopeContext = createContext<RequestScope>();
