/**
 * Where the bot is installed: one conversation reference per channel, group chat or personal chat,
 * recorded on install and forgotten on uninstall. Table Storage.
 */
import { odata, type TableClient } from "@azure/data-tables";
import type { ConversationReference } from "@microsoft/agents-activity";
import type { Settings } from "../config/settings";
import { fnv1a64 } from "../domain/fingerprint";
import { openTable } from "./table-client";

/** Where the conversation lives in Teams. */
export type InstallationScope = "personal" | "groupChat" | "channel";

/** One place the bot may post to. */
export interface Installation {
  conversationId: string;
  scope: InstallationScope;
  tenantId?: string;
  /** Team or chat name when Teams sends one, for logs and `status`. */
  name?: string;
  installedAt: string;
  /** The reference proactive sends continue, without an activity id (posts start new messages). */
  reference: ConversationReference;
}

interface InstallationEntity {
  partitionKey: string;
  rowKey: string;
  conversationId: string;
  scope: string;
  tenantId?: string;
  name?: string;
  installedAt: string;
  reference: string;
}

const PARTITION = "conversation";

/** Table row keys refuse `/ \ # ?`; conversation ids may hold any of them, so rows are keyed by a hash. */
function rowKey(conversationId: string): string {
  return fnv1a64(conversationId);
}

/** Installed conversations, in Table Storage. */
export class InstallationStore {
  constructor(private readonly table: TableClient) {}

  /** A store on the table `name` (default `installations`) of the configured account. */
  static async open(storage: Settings["storage"], name = "installations"): Promise<InstallationStore> {
    return new InstallationStore(await openTable(storage, name));
  }

  /** Records (or refreshes) an installation. */
  async add(installation: Installation): Promise<void> {
    const { activityId: _dropped, ...reference } = installation.reference;
    const entity: InstallationEntity = {
      partitionKey: PARTITION,
      rowKey: rowKey(installation.conversationId),
      conversationId: installation.conversationId,
      scope: installation.scope,
      tenantId: installation.tenantId,
      name: installation.name,
      installedAt: installation.installedAt,
      reference: JSON.stringify(reference),
    };
    await this.table.upsertEntity(entity, "Replace");
  }

  /** Forgets an installation; forgetting one that is not there is fine. */
  async remove(conversationId: string): Promise<void> {
    try {
      await this.table.deleteEntity(PARTITION, rowKey(conversationId));
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }

  /** One installation, or undefined. */
  async get(conversationId: string): Promise<Installation | undefined> {
    try {
      return fromEntity(await this.table.getEntity<InstallationEntity>(PARTITION, rowKey(conversationId)));
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Every installation, oldest first. */
  async list(): Promise<Installation[]> {
    const out: Installation[] = [];
    for await (const e of this.table.listEntities<InstallationEntity>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}` } })) {
      out.push(fromEntity(e));
    }
    return out.sort((a, b) => a.installedAt.localeCompare(b.installedAt) || a.conversationId.localeCompare(b.conversationId));
  }
}

function fromEntity(e: InstallationEntity): Installation {
  return {
    conversationId: e.conversationId,
    scope: e.scope as InstallationScope,
    tenantId: e.tenantId ?? undefined,
    name: e.name ?? undefined,
    installedAt: e.installedAt,
    reference: JSON.parse(e.reference) as ConversationReference,
  };
}
