/** The users (developer accounts) of an instance. */
import type { TimeSpec } from "../relative-time";
import { opt, type Obj, type ScenarioReader } from "./scenario-reader";

/** A user of the instance, who can own subscriptions. */
export interface ScenarioUser {
  name: string;
  email: string;
  firstName: string;
  lastName: string;
  state: string;
  registrationDate?: TimeSpec;
}

/** Reads `users[]`. */
export function readUsers(r: ScenarioReader, o: Obj, at: string): ScenarioUser[] {
  return r.list(o, "users", at, "user", (u, p) => {
    const uo = r.object(u, p, ["name", "email", "firstName", "lastName", "state", "registrationDate"]);
    return {
      name: r.name(uo, "name", p),
      email: r.reqStr(uo, "email", p, { pattern: /^[^@\s]+@[^@\s]+$/, hint: "an e-mail address" }),
      firstName: r.reqStr(uo, "firstName", p),
      lastName: r.reqStr(uo, "lastName", p),
      state: r.str(uo, "state", p, { oneOf: ["active", "blocked", "pending", "deleted"] }) ?? "active",
      ...opt("registrationDate", r.time(uo, "registrationDate", p)),
    };
  });
}
