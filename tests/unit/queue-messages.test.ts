import { describe, expect, it } from "vitest";
import { QueueMessage, SEND_IDS_PER_MESSAGE } from "../../workers/queues/messages.ts";

describe("send queue messages", () => {
  it("carry 1–10 send ids", () => {
    const ok = QueueMessage.safeParse({ kind: "send", tenantId: "ten_a", sendIds: ["snd_1", "snd_2"] });
    expect(ok.success && ok.data).toEqual({ kind: "send", tenantId: "ten_a", sendIds: ["snd_1", "snd_2"] });
    expect(QueueMessage.safeParse({ kind: "send", tenantId: "ten_a", sendIds: [] }).success).toBe(false);
    const many = Array.from({ length: SEND_IDS_PER_MESSAGE + 1 }, (_, i) => `snd_${i}`);
    expect(QueueMessage.safeParse({ kind: "send", tenantId: "ten_a", sendIds: many }).success).toBe(false);
  });

  it("read a message of the older one-id shape (still on the queue at deploy) as one send", () => {
    const old = QueueMessage.safeParse({ kind: "send", tenantId: "ten_a", sendId: "snd_1" });
    expect(old.success && old.data).toEqual({ kind: "send", tenantId: "ten_a", sendIds: ["snd_1"] });
    expect(QueueMessage.safeParse({ kind: "send", tenantId: "ten_a" }).success).toBe(false);
    expect(QueueMessage.safeParse({ kind: "campaign.tick", tenantId: "ten_a", campaignId: "cmp_1" }).success).toBe(true);
  });
});
