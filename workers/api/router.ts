import { OpenAPIHono } from "@hono/zod-openapi";
import { AppError } from "../platform/errors.ts";
import type { AppEnv } from "./types.ts";

/** Every v1 sub-router: zod failures become BAD_REQUEST with per-field issues, in the one envelope. */
export const newRouter = () =>
  new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new AppError("BAD_REQUEST", "The request is invalid.", {
          issues: result.error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message })),
        });
      }
    },
  });
