import type { RequestScope } from "../platform/context.ts";

export interface AppEnv {
  Bindings: Env;
  Variables: { ctx: RequestScope; requestId: string };
}
