import { listDevOutbox } from "../../workers/mailer/queries.ts";
import { scope } from "./api.ts";

/** The newest captured platform mail of `kind` to `to`, and the token in its link. */
export async function latestMail(to: string, kind: string) {
  const s = scope();
  try {
    const mail = (await listDevOutbox(s, 500)).find((m) => m.toAddress === to && m.kind === kind);
    if (!mail) throw new Error(`no ${kind} mail to ${to}`);
    const m = /token=([^\s]+)/.exec(mail.text);
    return { mail, token: m ? decodeURIComponent(m[1]!) : null };
  } finally {
    await s.dispose();
  }
}
