/**
 * IANA time zones for <select>s, UTC first. Computed in loaders and passed down, so the server and
 * the browser (whose ICU versions may differ) render the same list.
 */
export function timeZoneNames(): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    // Very old runtimes: the select still offers UTC and whatever is saved.
  }
  return ["UTC", ...zones.filter((z) => z !== "UTC" && z !== "Etc/UTC")];
}

/** "America/New_York" → "America / New York". */
export const zoneLabel = (tz: string) => tz.replaceAll("_", " ").replaceAll("/", " / ");

/** Options for a SelectField; a saved zone missing from the list (renamed upstream) is kept. */
export function zoneOptions(zones: readonly string[], current?: string | null) {
  const list = current && !zones.includes(current) ? [current, ...zones] : zones;
  return list.map((z) => ({ value: z, label: zoneLabel(z) }));
}
