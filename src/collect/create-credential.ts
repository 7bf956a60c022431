import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";
import type { Settings } from "../config/settings";

/** A credential that always answers with one fixed token (emulators only); the token is never logged. */
export function staticTokenCredential(token: string, now: () => number = () => Date.now()): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      return { token, expiresOnTimestamp: now() + 60 * 60 * 1000 };
    },
  };
}

/** The credential the settings ask for: the static token, a user-assigned identity, or the default chain. */
export function createCredential(settings: Settings): TokenCredential {
  if (settings.staticBearerToken) return staticTokenCredential(settings.staticBearerToken);
  if (settings.managedIdentityClientId) return new ManagedIdentityCredential({ clientId: settings.managedIdentityClientId });
  return new DefaultAzureCredential();
}
