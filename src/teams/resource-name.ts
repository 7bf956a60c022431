/**
 * Chat input never reaches a URL or a query unchecked: API and instance names must look like APIM names.
 */

/** What an APIM API id or service name may look like (letters, digits, `.`, `_`, `;`, `=`, `-`). */
export const RESOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._;=-]{0,255}$/;

/** True when `name` is safe to pass on as an API or instance name. */
export function isResourceName(name: string): boolean {
  return RESOURCE_NAME.test(name);
}
