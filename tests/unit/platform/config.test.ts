import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, parseConfigFrom } from "../../../workers/platform/config.ts";

const valid = {
  APP_URL: "http://127.0.0.1:8787",
  DATABASE_URL: "postgres://u:p@localhost:5432/db",
  AUTH_SECRET: "x".repeat(32),
};

describe("configuration", () => {
  it("parses a valid environment and applies defaults", () => {
    const cfg = parseConfigFrom(valid);
    expect(cfg.APP_ENV).toBe("development");
    expect(cfg.LOG_LEVEL).toBe("info");
    expect(cfg.DB_HEALTH_TIMEOUT_MS).toBe(3000);
  });

  it("names every missing variable", () => {
    try {
      parseConfigFrom({});
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as ConfigError).message;
      expect(msg).toContain("DATABASE_URL is required");
      expect(msg).toContain("AUTH_SECRET is required");
      expect(msg).toContain("APP_URL is required");
    }
  });

  it("explains malformed values by name", () => {
    expect(() => parseConfigFrom({ ...valid, DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must be a postgres:\/\//);
    expect(() => parseConfigFrom({ ...valid, AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET must be at least 32/);
    expect(() => parseConfigFrom({ ...valid, NEON_WS_PROXY: "not a host" })).toThrow(/NEON_WS_PROXY must be host:port/);
    expect(() => parseConfigFrom({ ...valid, LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });

  it("treats empty strings as unset", () => {
    expect(() => parseConfigFrom({ ...valid, DATABASE_URL: "" })).toThrow(/DATABASE_URL is required/);
  });

  it("refuses the local proxy in production", () => {
    expect(() => parseConfigFrom({ ...valid, APP_ENV: "production", NEON_WS_PROXY: "127.0.0.1:5488" })).toThrow(
      /NEON_WS_PROXY must not be set in production/,
    );
  });

  it("memoises per env object", () => {
    const env = { ...valid };
    expect(parseConfig(env)).toBe(parseConfig(env));
  });
});
