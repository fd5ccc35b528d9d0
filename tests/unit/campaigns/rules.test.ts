import { describe, expect, it } from "vitest";
import {
  nextWindowOpening,
  pickMailbox,
  pickVariant,
  plannedSendAt,
  reserveSlot,
  type SendWindow,
} from "../../../workers/campaigns/rules.ts";
import { localDayKey, localTime, zonedInstant } from "../../../workers/campaigns/time.ts";

const weekdays9to17: SendWindow = { days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 17 * 60 };
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe("time zones", () => {
  it("converts wall time to instants across DST and half-hour offsets", () => {
    expect(iso(zonedInstant(2026, 7, 1, 9 * 60, "Europe/Berlin"))).toBe("2026-07-01T07:00:00.000Z");
    expect(iso(zonedInstant(2026, 1, 5, 9 * 60, "Europe/Berlin"))).toBe("2026-01-05T08:00:00.000Z");
    expect(iso(zonedInstant(2026, 3, 2, 9 * 60, "Asia/Kolkata"))).toBe("2026-03-02T03:30:00.000Z");
    expect(iso(zonedInstant(2026, 3, 2, 9 * 60, "Australia/Adelaide"))).toBe("2026-03-01T22:30:00.000Z");
    expect(iso(zonedInstant(2026, 3, 2, 9 * 60, "Asia/Kathmandu"))).toBe("2026-03-02T03:15:00.000Z");
  });

  it("moves a time inside a spring-forward gap to the end of the gap, and picks the first of a repeated hour", () => {
    // Berlin skips 02:00–03:00 on 2026-03-29; 02:30 does not exist → 03:00 local (01:00Z).
    expect(iso(zonedInstant(2026, 3, 29, 150, "Europe/Berlin"))).toBe("2026-03-29T01:00:00.000Z");
    // New York repeats 01:00–02:00 on 2026-11-01; 01:30 happens at 05:30Z and 06:30Z.
    expect(iso(zonedInstant(2026, 11, 1, 90, "America/New_York"))).toBe("2026-11-01T05:30:00.000Z");
  });

  it("rolls the local day over at local midnight", () => {
    const at = new Date("2026-06-01T22:30:00Z");
    expect(localDayKey(at, "UTC")).toBe("2026-06-01");
    expect(localDayKey(at, "Europe/Berlin")).toBe("2026-06-02");
    expect(localDayKey(at, "America/Los_Angeles")).toBe("2026-06-01");
  });
});

describe("sending windows", () => {
  it("sends now inside the window, else at the next opening (skipping weekends)", () => {
    const wedNoonBerlin = new Date("2026-12-02T11:00:00Z");
    expect(iso(nextWindowOpening(weekdays9to17, "Europe/Berlin", wedNoonBerlin))).toBe(wedNoonBerlin.toISOString());
    const friEvening = new Date("2026-12-04T18:00:00Z"); // 19:00 Berlin, Friday
    expect(iso(nextWindowOpening(weekdays9to17, "Europe/Berlin", friEvening))).toBe("2026-12-07T08:00:00.000Z"); // Monday 09:00
    const earlyMonday = new Date("2026-12-07T05:00:00Z");
    expect(iso(nextWindowOpening(weekdays9to17, "Europe/Berlin", earlyMonday))).toBe("2026-12-07T08:00:00.000Z");
  });

  it("handles windows that span midnight", () => {
    const night: SendWindow = { days: [5], startMinute: 22 * 60, endMinute: 2 * 60 };
    // Saturday 01:00 UTC belongs to Friday's 22:00–02:00 window.
    expect(iso(nextWindowOpening(night, "UTC", new Date("2026-12-05T01:00:00Z")))).toBe("2026-12-05T01:00:00.000Z");
    // Saturday 03:00 is past it: next Friday 22:00.
    expect(iso(nextWindowOpening(night, "UTC", new Date("2026-12-05T03:00:00Z")))).toBe("2026-12-11T22:00:00.000Z");
  });

  it("honours the lead's own zone and the campaign start date", () => {
    const due = new Date("2026-12-02T12:00:00Z"); // 04:00 in Los Angeles
    expect(iso(plannedSendAt({ dueAt: due, window: weekdays9to17, tz: "America/Los_Angeles" }))).toBe("2026-12-02T17:00:00.000Z");
    const start = new Date("2026-12-09T00:00:00Z");
    expect(iso(plannedSendAt({ dueAt: due, window: weekdays9to17, tz: "UTC", startAt: start }))).toBe("2026-12-09T09:00:00.000Z");
    expect(plannedSendAt({ dueAt: due, window: { days: [], startMinute: 0, endMinute: 60 }, tz: "UTC" })).toBeNull();
  });
});

describe("mailbox pacing", () => {
  const limits = { dailyLimit: 3, minGapSeconds: 120, tz: "Europe/Berlin" };
  it("enforces the minimum gap and the daily cap, and says when to retry", () => {
    const t0 = Date.parse("2026-12-02T10:00:00Z");
    const a = reserveSlot(limits, null, t0);
    expect(a.ok).toBe(true);
    const state = a.ok ? a.state : null;
    const tooSoon = reserveSlot(limits, state, t0 + 60_000);
    expect(tooSoon).toEqual({ ok: false, reason: "min_gap", retryAt: t0 + 120_000 });
    let s = state;
    for (const dt of [120_000, 240_000]) {
      const r = reserveSlot(limits, s, t0 + dt);
      expect(r.ok).toBe(true);
      s = r.ok ? r.state : s;
    }
    const capped = reserveSlot(limits, s, t0 + 600_000);
    expect(capped).toEqual({ ok: false, reason: "daily_limit", retryAt: Date.parse("2026-12-02T23:00:00Z") }); // Berlin midnight
    // After local midnight the count starts again.
    expect(reserveSlot(limits, s, Date.parse("2026-12-02T23:00:01Z")).ok).toBe(true);
  });
});

describe("rotation and variants", () => {
  it("picks the least-used ready mailbox and avoids repeating a domain", () => {
    const c = [
      { id: "a", domain: "one.test", sentToday: 3, dailyLimit: 50, ready: true },
      { id: "b", domain: "one.test", sentToday: 1, dailyLimit: 50, ready: true },
      { id: "c", domain: "two.test", sentToday: 2, dailyLimit: 50, ready: true },
      { id: "d", domain: "two.test", sentToday: 0, dailyLimit: 50, ready: false },
      { id: "e", domain: "three.test", sentToday: 50, dailyLimit: 50, ready: true },
    ];
    expect(pickMailbox(c, null)?.id).toBe("b");
    expect(pickMailbox(c, "one.test")?.id).toBe("c");
    expect(
      pickMailbox(
        c.filter((x) => x.domain === "one.test"),
        "one.test",
      )?.id,
    ).toBe("b");
    expect(pickMailbox([c[4]!], null)).toBeNull();
  });

  it("splits variants evenly and stably", () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 9000; i++) counts[pickVariant(`enr_${i}:step1`, 3)]!++;
    for (const n of counts) expect(Math.abs(n - 3000)).toBeLessThan(300);
    expect(pickVariant("enr_42:step1", 3)).toBe(pickVariant("enr_42:step1", 3));
  });

  it("reports local time parts", () => {
    expect(localTime(new Date("2026-12-06T12:00:00Z"), "UTC").weekday).toBe(7);
  });
});
