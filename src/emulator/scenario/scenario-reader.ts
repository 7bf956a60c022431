/** Reads JSON values at a known path of a scenario file, failing with the file, the path and the problem. */
import { ScenarioError } from "../scenario-error";
import { describe, parseTimeSpec, type TimeSpec } from "../relative-time";

/** A JSON object as read from a scenario. */
export type Obj = Record<string, unknown>;

/** Azure's GUID shape (subscription, tenant, workspace and correlation ids). */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._;=-]{0,79}$/;

/** `a.b` from a path and a key. */
export function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** `{ key: value }`, or `{}` when the value is undefined, for spreading optional fields. */
export function opt<T, K extends string>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

/** Strict typed reads of one scenario file's JSON. */
export class ScenarioReader {
  constructor(readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new ScenarioError(this.file, path, problem);
  }

  object(v: unknown, path: string, allowed: readonly string[]): Obj {
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(path, `expected an object, got ${describe(v)}`);
    for (const key of Object.keys(v as Obj)) {
      if (!allowed.includes(key)) this.fail(join(path, key), `unknown field "${key}" (known fields: ${allowed.join(", ")})`);
    }
    return v as Obj;
  }

  array(o: Obj, key: string, path: string): unknown[] {
    const v = o[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(join(path, key), `expected an array, got ${describe(v)}`);
    return v;
  }

  str(o: Obj, key: string, path: string, opts: { required?: boolean; oneOf?: readonly string[]; pattern?: RegExp; hint?: string } = {}): string | undefined {
    const v = o[key];
    const at = join(path, key);
    if (v === undefined) {
      if (opts.required) this.fail(at, "is required");
      return undefined;
    }
    if (typeof v !== "string") this.fail(at, `expected a string, got ${describe(v)}`);
    if (opts.oneOf && !opts.oneOf.includes(v)) this.fail(at, `"${v}" is not one of ${opts.oneOf.map((x) => `"${x}"`).join(", ")}`);
    if (opts.pattern && !opts.pattern.test(v)) this.fail(at, `"${v}" is not ${opts.hint ?? "valid"}`);
    return v;
  }

  reqStr(o: Obj, key: string, path: string, opts: { oneOf?: readonly string[]; pattern?: RegExp; hint?: string } = {}): string {
    return this.str(o, key, path, { ...opts, required: true }) as string;
  }

  num(o: Obj, key: string, path: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    const at = join(path, key);
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(at, `expected a number, got ${describe(v)}`);
    if (opts.integer && !Number.isInteger(v)) this.fail(at, `expected a whole number, got ${v}`);
    if (opts.min !== undefined && v < opts.min) this.fail(at, `must be at least ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) this.fail(at, `must be at most ${opts.max}`);
    return v;
  }

  bool(o: Obj, key: string, path: string): boolean | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") this.fail(join(path, key), `expected true or false, got ${describe(v)}`);
    return v;
  }

  time(o: Obj, key: string, path: string): TimeSpec | undefined {
    return o[key] === undefined ? undefined : parseTimeSpec(o[key], this.file, join(path, key));
  }

  /** A time that must be there. */
  reqTime(o: Obj, key: string, path: string): TimeSpec {
    const t = this.time(o, key, path);
    if (!t) this.fail(join(path, key), "is required");
    return t;
  }

  strings(o: Obj, key: string, path: string): string[] {
    return this.array(o, key, path).map((v, i) => {
      if (typeof v !== "string") this.fail(`${join(path, key)}[${i}]`, `expected a string, got ${describe(v)}`);
      return v;
    });
  }

  stringMap(o: Obj, key: string, path: string): Record<string, string> {
    const v = o[key];
    if (v === undefined) return {};
    const at = join(path, key);
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(at, `expected an object of strings, got ${describe(v)}`);
    for (const [k, x] of Object.entries(v as Obj)) {
      if (typeof x !== "string") this.fail(join(at, k), `expected a string, got ${describe(x)}`);
    }
    return { ...(v as Record<string, string>) };
  }

  /** A policy document: kept verbatim, since real ones are not always well-formed XML. */
  policy(o: Obj, key: string, path: string): string | undefined {
    const v = this.str(o, key, path);
    if (v !== undefined && !/<policies[\s>]/.test(v)) this.fail(join(path, key), "a policy document must contain a <policies> element");
    return v;
  }

  name(o: Obj, key: string, path: string): string {
    return this.reqStr(o, key, path, { pattern: RESOURCE_NAME, hint: "a resource name (letters, digits, . _ - ; =, at most 80)" });
  }

  unique<T extends { name: string }>(items: T[], path: string, what: string): T[] {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = item.name.toLowerCase();
      const prior = seen.get(k);
      if (prior !== undefined) this.fail(`${path}[${i}].name`, `duplicate ${what} "${item.name}" (also at ${path}[${prior}])`);
      seen.set(k, i);
    });
    return items;
  }

  /** A list of named items under `key`, each read by `read`, names unique. */
  list<T extends { name: string }>(o: Obj, key: string, at: string, what: string, read: (v: unknown, path: string) => T): T[] {
    const base = join(at, key);
    return this.unique(this.array(o, key, at).map((v, i) => read(v, `${base}[${i}]`)), base, what);
  }

  /** Checks that `name` is one of `known` (lower-cased names), else fails naming the list it should be in. */
  ref(known: ReadonlySet<string>, name: string, at: string, what: string, list: string): void {
    if (!known.has(name.toLowerCase())) this.fail(at, `names ${what} "${name}", which is not in ${list}`);
  }
}
