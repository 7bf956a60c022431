/**
 * What has been posted where: per card and conversation, the activity id the connector returned, when,
 * and a hash of what the card last showed. Table Storage.
 */
import type { TableClient } from "@azure/data-tables";
import { odata } from "@azure/data-tables";
import type { Settings } from "../config/settings";
import { fnv1a64 } from "../domain/fingerprint";
import { openTable } from "./table-client";

/** One card in one conversation. Without `activityId` it is pending: not yet answered by the connector. */
export interface DeliveryRecord {
  conversationId: string;
  /** The finding id for a single card, or a group key for a grouped card. */
  cardKey: string;
  findingIds: string[];
  activityId?: string;
  postedAt?: string;
  updatedAt?: string;
  /** Hash of the state the card last showed; an update is sent only when it changes. */
  cardHash?: string;
  /** Failed attempts since the last success. */
  attempts: number;
  /** Short reason of the last failure (a status code, never a response body). */
  lastError?: string;
}

interface DeliveryEntity {
  partitionKey: string;
  rowKey: string;
  conversationId: string;
  cardKey: string;
  findingIds: string;
  activityId?: string;
  postedAt?: string;
  updatedAt?: string;
  cardHash?: string;
  attempts: number;
  lastError?: string;
}

/** Conversation ids may hold characters row keys refuse, so partitions are keyed by a hash. */
function partition(conversationId: string): string {
  return fnv1a64(conversationId);
}

/** Posted and pending cards, in Table Storage. */
export class DeliveryStore {
  constructor(private readonly table: TableClient) {}

  /** A store on the table `name` (default `deliveries`) of the configured account. */
  static async open(storage: Settings["storage"], name = "deliveries"): Promise<DeliveryStore> {
    return new DeliveryStore(await openTable(storage, name));
  }

  /** Writes the record as it is now; callers write right after the connector answers. */
  async put(record: DeliveryRecord): Promise<void> {
    const entity: DeliveryEntity = {
      partitionKey: partition(record.conversationId),
      rowKey: record.cardKey,
      conversationId: record.conversationId,
      cardKey: record.cardKey,
      findingIds: JSON.stringify(record.findingIds),
      activityId: record.activityId,
      postedAt: record.postedAt,
      updatedAt: record.updatedAt,
      cardHash: record.cardHash,
      attempts: record.attempts,
      lastError: record.lastError,
    };
    await this.table.upsertEntity(entity, "Replace");
  }

  /** Every card recorded in one conversation. */
  async listConversation(conversationId: string): Promise<DeliveryRecord[]> {
    const out: DeliveryRecord[] = [];
    for await (const e of this.table.listEntities<DeliveryEntity>({ queryOptions: { filter: odata`PartitionKey eq ${partition(conversationId)}` } })) {
      out.push(fromEntity(e));
    }
    return out;
  }

  /** The card a conversation shows as `activityId`, if apimbot posted it. */
  async findByActivity(conversationId: string, activityId: string): Promise<DeliveryRecord | undefined> {
    const all = await this.listConversation(conversationId);
    return all.find((r) => r.activityId === activityId);
  }

  /** Every posted card, in any conversation, that shows at least one of these findings. */
  async findShowing(findingIds: readonly string[]): Promise<DeliveryRecord[]> {
    const wanted = new Set(findingIds);
    const out: DeliveryRecord[] = [];
    for await (const e of this.table.listEntities<DeliveryEntity>()) {
      const r = fromEntity(e);
      if (r.findingIds.some((id) => wanted.has(id))) out.push(r);
    }
    return out;
  }

  /** Forgets one card; forgetting one that is not there is fine. */
  async remove(conversationId: string, cardKey: string): Promise<void> {
    try {
      await this.table.deleteEntity(partition(conversationId), cardKey);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }

  /** Forgets every card of a conversation (after uninstall). */
  async forgetConversation(conversationId: string): Promise<void> {
    for (const r of await this.listConversation(conversationId)) {
      await this.table.deleteEntity(partition(conversationId), r.cardKey);
    }
  }
}

function fromEntity(e: DeliveryEntity): DeliveryRecord {
  return {
    conversationId: e.conversationId,
    cardKey: e.cardKey,
    findingIds: JSON.parse(e.findingIds) as string[],
    activityId: e.activityId ?? undefined,
    postedAt: e.postedAt ?? undefined,
    updatedAt: e.updatedAt ?? undefined,
    cardHash: e.cardHash ?? undefined,
    attempts: e.attempts ?? 0,
    lastError: e.lastError ?? undefined,
  };
}
