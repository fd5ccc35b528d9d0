/**
 * The one error type services throw and the one envelope the wire ever shows:
 * `{ error: { code, message, requestId } }`. Status codes come only from CODE_STATUS.
 */
export const CODE_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  PLAN_LIMIT: 402,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof CODE_STATUS;

export interface ErrorIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: ErrorCode;
  readonly details?: { issues?: ErrorIssue[]; retryAfterSeconds?: number };
  constructor(code: ErrorCode, message: string, details?: { issues?: ErrorIssue[]; retryAfterSeconds?: number }) {
    super(message);
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return CODE_STATUS[this.code];
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; issues?: ErrorIssue[] };
}

/** Unknown errors become a generic INTERNAL: their message may carry SQL, hosts or secrets. */
export function toErrorBody(err: unknown, requestId: string): { status: number; body: ErrorBody } {
  if (err instanceof AppError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message, requestId } };
    if (err.details?.issues) body.error.issues = err.details.issues;
    return { status: err.status, body };
  }
  return {
    status: 500,
    body: {
      error: { code: "INTERNAL", message: "Something went wrong on our side. Quote the request id when contacting support.", requestId },
    },
  };
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
