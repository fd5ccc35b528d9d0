import { z } from "zod";

/**
 * Hostwinds Cloud API shapes (INTEGRATIONS.md §3.2: developers.hostwinds.com/cloud notes + client
 * code in the wild). Everything is HTTP 200; the body says whether it worked. Ids and flags arrive
 * as numbers or numeric strings depending on the action, so they are coerced.
 */

/** One entry of an action answer: `[{"result":"success"|"error","action":…,"message":…}]`. */
export const HostwindsResult = z.object({
  result: z.string(),
  action: z.string().nullish(),
  message: z.string().nullish(),
  ERROR: z.union([z.string(), z.number()]).nullish(),
  serviceid: z.coerce.number().int().nullish(),
});
export type HostwindsResult = z.infer<typeof HostwindsResult>;

/** Action answers come as a list; the auth failure comes as a single object. */
export const HostwindsActionResponse = z.union([z.array(HostwindsResult), HostwindsResult.transform((r) => [r])]);

const Id = z.coerce.number().int();
const Text = z.string().nullish();

/**
 * The instance object. Only the fields we use are read; the rest (including `password`, the root
 * password Hostwinds returns with every instance) is dropped by parsing.
 */
export const HostwindsInstanceWire = z.object({
  serviceid: Id,
  location_id: Id.nullish(),
  srvrname: Text,
  hostname: Text,
  main_ip: Text,
  ips: z.union([z.array(z.string()), z.string()]).nullish(),
  ip_v6: Text,
  status: Text,
  disp_status: Text,
  vm_state: Text,
  task_state: Text,
  power_state: z.union([z.number(), z.string()]).nullish(),
  product_id: Id.nullish(),
  created_at: Text,
});
export type HostwindsInstanceWire = z.infer<typeof HostwindsInstanceWire>;

/** get_instance: `{"success":{…}}` in client code, a bare object in the docs. */
export const GetInstanceResponse = z.union([
  z.object({ success: HostwindsInstanceWire }).transform((r) => r.success),
  HostwindsInstanceWire,
]);

/** get_instances: `{"success":[…]}` in client code, a bare list in the docs. */
export const GetInstancesResponse = z.union([
  z
    .object({
      success: z.union([z.array(HostwindsInstanceWire), z.record(z.string(), HostwindsInstanceWire).transform((o) => Object.values(o))]),
    })
    .transform((r) => r.success),
  z.array(HostwindsInstanceWire),
]);
