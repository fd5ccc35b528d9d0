/** Reads the served OpenAPI document and builds minimal valid bodies from its schemas. */
export interface Operation {
  method: string;
  path: string; // OpenAPI form, relative to /api/v1: /workspaces/{workspaceId}
  permission: string | null;
  security: { bearer?: unknown; session?: unknown }[] | undefined;
  bodySchema: any | null;
}

export function operations(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      ops.push({
        method: method.toUpperCase(),
        path,
        permission: op["x-permission"] ?? null,
        security: op.security,
        bodySchema: op.requestBody?.content?.["application/json"]?.schema ?? null,
      });
    }
  }
  return ops;
}

function deref(doc: any, schema: any): any {
  if (schema?.$ref) return deref(doc, doc.components.schemas[schema.$ref.split("/").pop()]);
  return schema;
}

/** The smallest value the schema accepts, so validation never answers before the guard or the verb. */
export function sample(doc: any, raw: any): unknown {
  const schema = deref(doc, raw);
  if (!schema) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sample(doc, schema.anyOf[0]);
  switch (schema.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sample(doc, schema.properties[key]);
      if (Object.keys(out).length === 0 && schema.properties) {
        const first = Object.keys(schema.properties)[0]!;
        out[first] = sample(doc, schema.properties[first]);
      }
      return out;
    }
    case "array":
      return schema.minItems ? [sample(doc, schema.items)] : [];
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return false;
    default:
      if (schema.format === "email") return "someone@example.test";
      return "x".repeat(Math.max(schema.minLength ?? 1, 3));
  }
}

export function fillPath(path: string, ids: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const id = ids[name];
    if (!id) throw new Error(`isolation suite: no fixture for path parameter {${name}} — add one in tests/api/isolation.test.ts`);
    return id;
  });
}
