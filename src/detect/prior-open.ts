/**
 * Whether an earlier sweep left a finding open, for hysteresis.
 */
import type { PriorFinding, PriorState } from "../domain/prior";

/** The prior finding with this id when it is still open (anything but resolved). */
export function priorOpen(prior: PriorState, id: string): PriorFinding | undefined {
  const found = prior.findings.get(id);
  return found && found.status !== "resolved" ? found : undefined;
}
