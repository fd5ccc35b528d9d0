import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, keyVersionOf, loadMasterKeys, rewrapSecret } from "../../../workers/platform/secrets.ts";

const key = (fill: number) => Buffer.alloc(32, fill).toString("base64");

describe("envelope encryption of secrets", () => {
  it("round-trips, never stores the plaintext, and uses a fresh IV and data key each time", async () => {
    const mk = await loadMasterKeys(`v1:${key(1)}`);
    const a = await encryptSecret(mk, "smtp-p@ss");
    const b = await encryptSecret(mk, "smtp-p@ss");
    expect(a).not.toContain("smtp-p@ss");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^pmsec:1:v1:/);
    expect(await decryptSecret(mk, a)).toBe("smtp-p@ss");
  });

  it("rejects tampering and unknown key versions", async () => {
    const mk = await loadMasterKeys(`v1:${key(1)}`);
    const s = await encryptSecret(mk, "secret");
    const parts = s.split(":");
    const body = parts[4]!;
    const flipped = `${parts.slice(0, 4).join(":")}:${body.slice(0, -2)}${body.at(-2) === "A" ? "B" : "A"}${body.at(-1)}`;
    await expect(decryptSecret(mk, flipped)).rejects.toThrow();
    await expect(decryptSecret(mk, s.replace(":v1:", ":v9:"))).rejects.toThrow(/v9/);
    const other = await loadMasterKeys(`v1:${key(2)}`);
    await expect(decryptSecret(other, s)).rejects.toThrow();
  });

  it("rotates: the first key encrypts, older keys still decrypt, rewrap moves values forward", async () => {
    const old = await loadMasterKeys(`v1:${key(1)}`);
    const stored = await encryptSecret(old, "token-123");
    const rotated = await loadMasterKeys(`v2:${key(3)},v1:${key(1)}`);
    expect(await decryptSecret(rotated, stored)).toBe("token-123");
    const moved = await rewrapSecret(rotated, stored);
    expect(keyVersionOf(moved)).toBe("v2");
    expect(await decryptSecret(await loadMasterKeys(`v2:${key(3)}`), moved)).toBe("token-123");
  });

  it("refuses malformed master keys", async () => {
    await expect(loadMasterKeys("v1:short")).rejects.toThrow(/32 bytes/);
    await expect(loadMasterKeys("")).rejects.toThrow(/empty/);
  });
});
