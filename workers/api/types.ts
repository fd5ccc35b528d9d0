import type { RequestScope } from "../platform/context.ts";
import type { BucketLimits } from "../platform/token-bucket.ts";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    ctx: RequestScope;
    requestId: string;
    rateLimit?: { name: string; tenantName: string; limits: BucketLimits };
  };
}
