import { signTrack } from "./token.ts";

/**
 * Adds tracking to a rendered message: links become signed redirects (text and HTML), and the HTML
 * part gets a 1×1 pixel. Unsubscribe links and mailto/tel links are never rewritten. Runs after the
 * compliance footer is added, so the footer's unsubscribe link is recognised and left alone.
 */
export async function addTracking(
  msg: { text: string; html?: string },
  o: {
    secret: string;
    baseUrl: string;
    tenantId: string;
    sendId: string;
    campaignId: string;
    sentAt: number;
    opens: boolean;
    clicks: boolean;
  },
): Promise<{ text: string; html?: string }> {
  const claims = { t: o.tenantId, s: o.sendId, c: o.campaignId, at: o.sentAt };
  const skip = (url: string) => url.startsWith(`${o.baseUrl}/t/`);
  const cache = new Map<string, string>();
  const tracked = async (url: string) => {
    let out = cache.get(url);
    if (!out) {
      out = `${o.baseUrl}/t/c/${await signTrack(o.secret, { ...claims, u: url })}`;
      cache.set(url, out);
    }
    return out;
  };
  let text = msg.text;
  let html = msg.html;
  if (o.clicks) {
    text = await replaceAsync(text, /https?:\/\/[^\s<>"')\]]+/g, async (url) => (skip(url) ? url : tracked(url)));
    if (html) {
      html = await replaceAsync(
        html,
        /(<a\b[^>]*?\bhref\s*=\s*")(https?:\/\/[^"]+)(")/gi,
        async (_m, pre: string, url: string, post: string) => {
          const decoded = url.replace(/&amp;/g, "&");
          return skip(decoded) ? `${pre}${url}${post}` : `${pre}${(await tracked(decoded)).replace(/&/g, "&amp;")}${post}`;
        },
      );
    }
  }
  if (o.opens && html) {
    const pixel = `<img src="${o.baseUrl}/t/o/${await signTrack(o.secret, claims)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;
    html = /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${pixel}</body>`) : `${html}${pixel}`;
  }
  return { text, html };
}

async function replaceAsync(s: string, re: RegExp, fn: (...m: string[]) => Promise<string>): Promise<string> {
  const parts: (string | Promise<string>)[] = [];
  let last = 0;
  for (const m of s.matchAll(re)) {
    parts.push(s.slice(last, m.index), fn(...(m as unknown as string[])));
    last = m.index! + m[0].length;
  }
  parts.push(s.slice(last));
  return (await Promise.all(parts)).join("");
}
