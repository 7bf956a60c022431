import { ConfigError } from "../domain/errors";

/** How one flag is read: a boolean switch or a flag that takes a value. */
export interface FlagSpec {
  type: "boolean" | "string";
  help: string;
}

/** Parsed command line: positional words and flags by name (without dashes). */
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean>;
}

/**
 * Strict parser: an unknown flag, a missing value or a stray `=` is a usage error naming the flag.
 * Accepts `--flag value` and `--flag=value`.
 */
export function parseArgs(command: string, argv: string[], specs: Record<string, FlagSpec>): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (!word.startsWith("--") || word === "--") {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf("=");
    const name = word.slice(2, eq === -1 ? undefined : eq);
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs).map((k) => `--${k}`).join(", ") || "none";
      throw new ConfigError(`apimbot ${command}: unknown flag --${name} (flags: ${known})`);
    }
    if (spec.type === "boolean") {
      if (eq !== -1) throw new ConfigError(`apimbot ${command}: --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = word.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === "" || value.startsWith("--")) {
      throw new ConfigError(`apimbot ${command}: --${name} needs a value`);
    }
    flags[name] = value;
  }
  return { positionals, flags };
}

/** Reads a port flag: a whole number from 0 to 65535. */
export function portFlag(command: string, name: string, value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(`apimbot ${command}: --${name} "${String(value)}" is not a port number from 0 to 65535`);
  }
  return n;
}
