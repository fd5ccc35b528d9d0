/// <reference types="@cloudflare/vitest-plugin/types" />
declare namespace Cloudflare {
  interface Env {
    TEST_SMTP_PORT: string;
    TEST_SMTP_LOG_URL: string;
  }
}
