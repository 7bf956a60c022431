import type { Logger } from "../domain/logger";

/**
 * Logger for the command line: everything goes to stderr so that `--json` keeps stdout clean.
 * `debug` lines only with `APIMBOT_DEBUG=1` (read once by the caller and passed in).
 */
export function consoleLogger(options: { debug?: boolean; stream?: NodeJS.WritableStream } = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const write = (level: string, message: string, fields?: Record<string, unknown>): void => {
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
    stream.write(`${level === "info" ? "" : `${level}: `}${message}${extra}\n`);
  };
  return {
    debug: (m, f) => {
      if (options.debug) write("debug", m, f);
    },
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
  };
}
