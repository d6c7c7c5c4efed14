/**
 * The audit trail as a register: every change by anyone in the workspace, in chain order, with the
 * hash chain's own fields so an auditor can recompute it. Read with a raw positional prepared
 * statement in keyset batches on (chain_key, seq): the fastest path better-sqlite3 offers, and no
 * statement stays open between batches (other requests share the connection).
 */
import { auditActionLabel, translator } from "~/i18n/i18n";
import { getDb } from "~/db.server";
import { instantBounds, isEmptyRange } from "./range";
import type { Cell, RegisterDefinition, SourceContext } from "./types";

const BATCH = 1000;

/** The audit log's filters, as query parameters: actor (user id), customer (id), action, entity (entity type). */
export const AUDIT_LOG_FILTERS = ["actor", "customer", "action", "entity"] as const;

type Where = { sql: string; params: (string | number)[] };

function conditions(ctx: SourceContext): Where {
  const parts = ["e.chain_key = ?", "e.workspace_id = ?"];
  const params: (string | number)[] = [ctx.workspaceId, ctx.workspaceId];
  const { start, end } = instantBounds(ctx.range);
  if (start) {
    parts.push("e.at >= ?");
    params.push(start);
  }
  if (end) {
    parts.push("e.at < ?");
    params.push(end);
  }
  const f = ctx.filters;
  if (f.actor) {
    parts.push("e.actor_user_id = ?");
    params.push(f.actor);
  }
  if (f.customer) {
    parts.push("e.customer_id = ?");
    params.push(f.customer);
  }
  if (f.action) {
    parts.push("e.action = ?");
    params.push(f.action);
  }
  if (f.entity) {
    parts.push("e.entity_type = ?");
    params.push(f.entity);
  }
  return { sql: parts.join(" and "), params };
}

export const auditLogRegister: RegisterDefinition = {
  key: "audit-log",
  title: { nl: "Audittrail", en: "Audit trail" },
  purpose: {
    nl: "Elke wijziging door iedereen in deze werkruimte (medewerkers, klanten in het portaal, het systeem, auditorlinks), in volgorde van de hashketen, met de hashes om de keten zelf na te rekenen.",
    en: "Every change by anyone in this workspace (staff, customers in the portal, the system, auditor links), in hash-chain order, with the hashes to recompute the chain yourself.",
  },
  dateBasis: { nl: "tijdstip van de gebeurtenis", en: "time of the event" },
  filters: AUDIT_LOG_FILTERS,
  columns: [
    { key: "seq", type: "number", header: { nl: "Volgnummer", en: "Sequence" }, description: { nl: "Plaats in de hashketen van de werkruimte (1, 2, 3 …).", en: "Position in the workspace's hash chain (1, 2, 3 …)." } },
    { key: "at", type: "instant", header: { nl: "Tijdstip", en: "Time" }, description: { nl: "Wanneer het gebeurde (UTC).", en: "When it happened (UTC)." } },
    { key: "actor", header: { nl: "Door", en: "By" }, description: { nl: "Wie het deed: naam, e-mail en rol, of systeem / auditorlink.", en: "Who did it: name, email and role, or system / auditor link." } },
    { key: "actorUserId", header: { nl: "Gebruikers-id", en: "User id" }, description: { nl: "Id van de gebruiker (leeg voor systeem en auditorlinks).", en: "The user's id (empty for the system and auditor links)." } },
    { key: "action", header: { nl: "Actie (code)", en: "Action (code)" }, description: { nl: "Code van de handeling, bv. customer.created.", en: "Code of the action, e.g. customer.created." } },
    { key: "actionLabel", header: { nl: "Actie", en: "Action" }, description: { nl: "De handeling in gewone taal.", en: "The action in plain words." } },
    { key: "entityType", header: { nl: "Soort object", en: "Entity type" }, description: { nl: "Waar de handeling over ging (customer, dpa, breach …).", en: "What the action was about (customer, dpa, breach …)." } },
    { key: "entityId", header: { nl: "Object-id", en: "Entity id" }, description: { nl: "Id van dat object.", en: "Id of that entity." } },
    { key: "customerId", header: { nl: "Klant-id", en: "Customer id" }, description: { nl: "De klant waar het om ging, indien van toepassing.", en: "The customer concerned, if any." } },
    { key: "customerName", header: { nl: "Klant", en: "Customer" }, description: { nl: "Naam van die klant (zoals nu bekend).", en: "That customer's name (as known now)." } },
    { key: "data", header: { nl: "Gegevens (JSON)", en: "Data (JSON)" }, description: { nl: "De wijziging zelf: de geschreven velden of { before, after }.", en: "The change itself: the fields written or { before, after }." } },
    { key: "prevHash", header: { nl: "Vorige hash", en: "Previous hash" }, description: { nl: "SHA-256 van de vorige gebeurtenis in de keten.", en: "SHA-256 of the previous event in the chain." } },
    { key: "hash", header: { nl: "Hash", en: "Hash" }, description: { nl: "SHA-256 over de vorige hash en deze gebeurtenis (zie Verifiëren).", en: "SHA-256 over the previous hash and this event (see Verify)." } },
  ],
  pdf: {
    kind: "table",
    columns: [
      { key: "seq", width: 0.6 },
      { key: "at", width: 1.5 },
      { key: "actor", width: 2.2 },
      { key: "actionLabel", width: 2.2 },
      { key: "customerName", width: 1.5 },
    ],
  },
  pdfRowLimit: 5000,
  open(ctx) {
    const client = getDb().$client;
    if (isEmptyRange(ctx.range)) return { count: 0, batches: function* () {} };
    const where = conditions(ctx);
    // the chain as it is now: events written while the export runs (its own audit event too) are not in it
    const head = (client.prepare("select max(seq) as seq from audit_events where chain_key = ?").get(ctx.workspaceId) as { seq: number | null }).seq ?? 0;
    // unfiltered, the chain's sequence numbers run 1..head without gaps (appendAudit; a gap is what Verify reports), so the
    // head is the count and a million-row export does not start with a full count
    const unfiltered = where.params.length === 2;
    const count = unfiltered
      ? head
      : (client.prepare(`select count(*) as n from audit_events e where ${where.sql} and e.seq <= ?`).get(...where.params, head) as { n: number }).n;
    const t = translator(ctx.locale);
    const labels = new Map<string, string>();
    const label = (action: string) => {
      let l = labels.get(action);
      if (l === undefined) {
        l = auditActionLabel(t, action);
        labels.set(action, l);
      }
      return l;
    };
    return {
      count,
      batches: function* () {
        const statement = client
          .prepare(
            `select e.seq, e.at, e.actor_label, e.actor_user_id, e.action, e.action, e.entity_type, e.entity_id, e.customer_id, null, e.data, e.prev_hash, e.hash
             from audit_events e where ${where.sql} and e.seq > ? and e.seq <= ? order by e.seq limit ${BATCH}`,
          )
          .raw(true);
        // customer names from a small cache instead of a join per event (a workspace has far fewer customers than events)
        const nameOf = client.prepare("select name from customers where id = ?").pluck();
        const names = new Map<string, string | null>();
        const customerName = (id: string) => {
          let name = names.get(id);
          if (name === undefined) {
            if (names.size > 100_000) names.clear();
            name = (nameOf.get(id) as string | undefined) ?? null;
            names.set(id, name);
          }
          return name;
        };
        let after = 0;
        for (;;) {
          const rows = statement.all(...where.params, after, head) as Cell[][];
          if (rows.length === 0) return;
          for (const row of rows) {
            row[5] = label(row[4] as string);
            if (row[8] !== null) row[9] = customerName(row[8] as string);
          }
          after = rows[rows.length - 1][0] as number;
          yield rows;
          if (rows.length < BATCH) return;
        }
      },
    };
  },
};
