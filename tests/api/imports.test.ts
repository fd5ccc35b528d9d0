import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createImport, startImport } from "../../workers/leads/imports/service.ts";
import { BATCH_ROWS, processImportStep } from "../../workers/leads/imports/step.ts";
import { type Caller, call, scope, seed, signInAs } from "../support/api.ts";
import type { SeededTenant } from "../support/seed.ts";

let t: SeededTenant;
let s: Caller;

beforeAll(async () => {
  t = await seed("Import");
  s = await signInAs(t);
});

const upload = (csv: string | Uint8Array<ArrayBuffer>, filename = "leads.csv") =>
  call("POST", `/api/v1/lead-imports?workspaceId=${t.workspaceId}&filename=${filename}`, {
    ...s,
    rawBody: csv,
    headers: { "content-type": "text/csv" },
  });

async function waitFor(importId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call("GET", `/api/v1/lead-imports/${importId}`, s);
    if (["completed", "failed", "cancelled"].includes(r.json.status)) return r.json;
    if (Date.now() > deadline) throw new Error(`import stuck: ${JSON.stringify(r.json)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

describe("CSV import through R2 and the queue", () => {
  it("previews, auto-maps, imports in the background and reports per row", async () => {
    await call("POST", "/api/v1/suppressions", { ...s, body: { value: "blocked@import.test" } });
    const csv =
      "\uFEFFE-mail;First Name;Company;Job Title;Notes\r\nann@import.test;Ann;Acme;CEO;x\r\nbob@import.test;Bob;Beta;;\r\nnot-an-email;Carl;;;\r\nblocked@import.test;Dee;;;\r\nANN@import.test;Ann again;;;\r\n";
    const up = await upload(csv);
    expect(up.status).toBe(201);
    expect(up.json.headers).toEqual(["E-mail", "First Name", "Company", "Job Title", "Notes"]);
    expect(up.json.preview[0]).toEqual(["ann@import.test", "Ann", "Acme", "CEO", "x"]);
    expect(up.json.suggestedMapping).toEqual({
      "E-mail": "email",
      "First Name": "firstName",
      Company: "company",
      "Job Title": "title",
      Notes: "ignore",
    });

    // Without "import valid rows" the bad row stops the whole file: nothing is imported.
    const strict = await call("POST", `/api/v1/lead-imports/${up.json.id}/start`, { ...s, body: { mapping: up.json.suggestedMapping } });
    expect(strict.status).toBe(202);
    const failed = await waitFor(up.json.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/1 of 5 rows have problems, so nothing was imported/);
    expect((await call("GET", "/api/v1/leads?q=import.test", s)).json.items).toEqual([]);

    const again = await upload(csv);
    await call("POST", `/api/v1/lead-imports/${again.json.id}/start`, {
      ...s,
      body: { mapping: again.json.suggestedMapping, importValidRows: true },
    });
    const done = await waitFor(again.json.id);
    expect(done).toMatchObject({
      status: "completed",
      totalRows: 5,
      rowsImported: 2,
      rowsFailed: 1,
      rowsSuppressed: 1,
      rowsSkipped: 1,
      percent: 100,
    });
    const leads = (await call("GET", "/api/v1/leads?q=import.test", s)).json.items;
    expect(leads.map((l: { email: string }) => l.email).sort()).toEqual(["ann@import.test", "bob@import.test"]);
    expect(leads.find((l: { email: string }) => l.email === "ann@import.test")).toMatchObject({
      firstName: "Ann",
      company: "Acme",
      title: "CEO",
    });

    const report = await call("GET", `/api/v1/lead-imports/${again.json.id}/errors.csv`, s);
    const lines = report.text.trim().split("\r\n");
    expect(lines[0]).toBe("row,email,problem,reason");
    expect(lines.slice(1)).toEqual([
      '4,not-an-email,invalid,"""not-an-email"" is not a valid e-mail address"',
      "5,blocked@import.test,suppressed,on the suppression list (manual)",
      "6,ann@import.test,duplicate,appears earlier in the file",
    ]);
  });

  it("updates existing leads when asked, keeping values the file leaves empty", async () => {
    await call("POST", "/api/v1/leads", {
      ...s,
      body: { workspaceId: t.workspaceId, email: "upd@import2.test", firstName: "Old", company: "Keep Co" },
    });
    const up = await upload("email,first_name,company\nupd@import2.test,New,\nfresh@import2.test,Fresh,F Co\n");
    await call("POST", `/api/v1/lead-imports/${up.json.id}/start`, {
      ...s,
      body: { mapping: up.json.suggestedMapping, duplicates: "update" },
    });
    const done = await waitFor(up.json.id);
    expect(done).toMatchObject({ status: "completed", rowsImported: 1, rowsUpdated: 1 });
    const upd = (await call("GET", "/api/v1/leads?q=upd@import2.test", s)).json.items[0];
    expect(upd).toMatchObject({ firstName: "New", company: "Keep Co" });
  });

  it("rejects broken files clearly and imports nothing", async () => {
    const latin1 = new Uint8Array([...new TextEncoder().encode("email,name\nm@x.test,M"), 0xfc, 0x6c, 0x6c, 0x0a]);
    const up = await upload(latin1);
    // The preview already sees the bad byte in the first rows.
    expect(up.status).toBe(422);
    expect(up.json.error.message).toMatch(/not valid UTF-8/);
    expect((await upload('email,name\n"unclosed,x\n')).status).toBe(422);
    expect((await upload("email,email\na@b.test,c@d.test\n")).json.error.message).toMatch(/same header/);
    const noEmail = await upload("name,company\nA,B\n");
    const start = await call("POST", `/api/v1/lead-imports/${noEmail.json.id}/start`, {
      ...s,
      body: { mapping: noEmail.json.suggestedMapping },
    });
    expect(start.status).toBe(400);
    expect(start.json.error.message).toMatch(/Map one column to E-mail/);
  });
});

describe("import resumability", () => {
  it("commits batch by batch and resumes after a crash without duplicating rows", async () => {
    const rows = BATCH_ROWS * 2 + 123;
    let csv = "email,first_name\n";
    for (let i = 0; i < rows; i++) csv += `r${i}@resume.test,R${i}\n`;
    const bytes = new TextEncoder().encode(csv);
    const sc = scope();
    sc.actor = { kind: "user", userId: t.userId, sessionId: "ses_test", email: t.email, name: "T" };
    sc.tenant = { id: t.tenantId, name: "", role: "owner" };
    const sent: unknown[] = [];
    const b = { bucket: env.LEAD_IMPORTS, queue: { send: async (m: unknown) => void sent.push(m) } as unknown as Queue<unknown> };
    try {
      const imp = await createImport(sc, b, {
        workspaceId: t.workspaceId,
        filename: "resume.csv",
        body: new Blob([bytes]).stream(),
        sizeBytes: bytes.length,
      });
      await startImport(sc, b, imp.id, {
        mapping: { email: "email", first_name: "firstName" },
        duplicates: "skip",
        importValidRows: false,
      });
      expect(sent).toHaveLength(1);

      // A clock that runs out after one batch: each step commits exactly one batch, like a consumer
      // killed right after its first commit.
      const oneBatchClock = () => {
        let calls = 0;
        return () => (calls++ < 3 ? 0 : 60_000);
      };
      let steps = 0;
      for (;;) {
        const r = await processImportStep(sc, b, t.tenantId, imp.id, oneBatchClock());
        steps++;
        if (!r.more) break;
        expect(steps).toBeLessThan(20);
      }
      // A redelivered message after completion changes nothing.
      expect((await processImportStep(sc, b, t.tenantId, imp.id)).more).toBe(false);
      const final = await call("GET", `/api/v1/lead-imports/${imp.id}`, s);
      expect(final.json).toMatchObject({ status: "completed", totalRows: rows, rowsImported: rows, rowsFailed: 0, rowsSkipped: 0 });
      expect(steps).toBeGreaterThanOrEqual(4);
      let count = 0;
      let cursor: string | null = null;
      do {
        const page: { json: { items: unknown[]; nextCursor: string | null } } = await call(
          "GET",
          `/api/v1/leads?q=resume.test&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
          s,
        );
        count += page.json.items.length;
        cursor = page.json.nextCursor;
      } while (cursor);
      expect(count).toBe(rows);
    } finally {
      await sc.dispose();
    }
  }, 60_000);
});
