/** `apimbot emulator`: runs the emulator alone and prints the settings that point apimbot at it. */
import { startEmulator, type RunningEmulator } from "./start-emulator";

/** Quotes a value for a POSIX shell when it holds anything but plain URL-ish characters. */
function shellValue(value: string): string {
  return /^[A-Za-z0-9_./:,=@%+-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Starts the emulator, prints one `export NAME=value` line per setting, then `ready`. */
export async function emulatorCommand(args: { scenario: string; port: number }, out: NodeJS.WritableStream): Promise<RunningEmulator> {
  const emu = await startEmulator({ scenario: args.scenario, port: args.port });
  const lines = Object.entries(emu.env).map(([name, value]) => `export ${name}=${shellValue(value)}`);
  out.write(`${lines.join("\n")}\nready\n`);
  return emu;
}
