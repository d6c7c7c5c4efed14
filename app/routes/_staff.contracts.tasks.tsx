/**
 * The end-of-contract task board: every task of the workspace's open (and closed) cases, filtered by
 * due date, customer, status and assignee (a GET form, so filters are addresses that can be shared),
 * sorted by due date, overdue tasks highlighted, keyset pagination (`cursor`).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ContractTable } from "~/components/contract-table";
import { TaskDueView, TaskStatusBadge, TaskTitle } from "~/components/contracts";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { listAssignableStaff, listCases, listTasks } from "~/services/end-of-contract.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("contracts.tasks.title");

const DUE = ["all", "overdue", "7d", "30d"] as const;
const STATUS = ["open", "done", "not_applicable", "all"] as const;
const Query = z.object({
  due: z.enum(DUE).catch("all").default("all"),
  status: z.enum(STATUS).catch("open").default("open"),
  customerId: z.string().max(100).optional().catch(undefined),
  assignee: z.string().max(100).optional().catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const now = nowIso();
  const query = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listTasks(
    actor,
    { due: query.due, status: query.status, customerId: query.customerId || null, assigneeUserId: query.assignee || null, cursor: query.cursor ?? null, limit: 25 },
    now,
  );
  // the customer filter offers the customers that have a case (the only ones with tasks)
  const cases = await listCases(actor, { status: "all", limit: 200 }, now);
  const customers = [...new Map(cases.cases.map((c) => [c.customerId, c.customerName])).entries()]
    .map(([id, name]) => ({ id, name }))
    .sort((a, b) => a.name.localeCompare(b.name, "nl"));
  const staff = await listAssignableStaff(actor);
  return json({ query, page, customers, staff });
}

export default function TaskBoard() {
  const t = useT();
  const { query, page, customers, staff } = useLoaderData<typeof loader>();
  const filtered = query.due !== "all" || query.status !== "open" || Boolean(query.customerId) || Boolean(query.assignee);
  const pageLink = (cursor: string | null) => {
    const params = new URLSearchParams();
    if (query.due !== "all") params.set("due", query.due);
    if (query.status !== "open") params.set("status", query.status);
    if (query.customerId) params.set("customerId", query.customerId);
    if (query.assignee) params.set("assignee", query.assignee);
    if (cursor) params.set("cursor", cursor);
    const s = params.toString();
    return s ? `?${s}` : "?";
  };
  return (
    <>
      <p>
        <Link to="/contracts">← {t("contracts.title")}</Link>
      </p>
      <h1>{t("contracts.tasks.title")}</h1>
      <p className="muted">{t("contracts.tasks.intro")}</p>
      <Form method="get" className="inline-form eoc-filters" aria-label={t("contracts.tasks.filters")}>
        <div className="field">
          <label htmlFor="filter-due">{t("contracts.tasks.due")}</label>
          <select id="filter-due" name="due" defaultValue={query.due}>
            {DUE.map((d) => (
              <option key={d} value={d}>
                {t(`contracts.dueFilter.${d}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-customer">{t("contracts.col.customer")}</label>
          <select id="filter-customer" name="customerId" defaultValue={query.customerId ?? ""}>
            <option value="">{t("contracts.tasks.allCustomers")}</option>
            {customers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-status">{t("contracts.col.status")}</label>
          <select id="filter-status" name="status" defaultValue={query.status}>
            {STATUS.map((s) => (
              <option key={s} value={s}>
                {s === "all" ? t("contracts.tasks.allStatuses") : t(`contracts.taskStatus.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-assignee">{t("contracts.col.assignee")}</label>
          <select id="filter-assignee" name="assignee" defaultValue={query.assignee ?? ""}>
            <option value="">{t("contracts.tasks.anyone")}</option>
            <option value="none">{t("contracts.task.unassigned")}</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="secondary">
          {t("contracts.tasks.apply")}
        </button>
        {filtered ? <Link to="?">{t("contracts.tasks.reset")}</Link> : null}
      </Form>

      {page.tasks.length === 0 ? (
        <div className="empty card">
          <strong>{filtered ? t("contracts.tasks.noneFiltered") : t("contracts.tasks.none")}</strong>
          <br />
          {filtered ? <Link to="?">{t("contracts.tasks.reset")}</Link> : t("contracts.tasks.noneHint")}
        </div>
      ) : (
        <ContractTable
          rows={page.tasks}
          rowKey={(task) => task.id}
          rowClassName={(task) => (task.overdue ? "eoc-overdue" : undefined)}
          columns={[
            {
              label: t("contracts.col.due"),
              cell: (task) => <TaskDueView dueDate={task.dueDate} dueDisplay={task.dueDisplay} basis={task.basis} explanation={task.explanation} inTable />,
            },
            {
              label: t("contracts.col.task"),
              cell: (task) => (
                <>
                  <Link to={`/contracts/${task.caseId}#t-${task.id}`}>
                    <TaskTitle title={task.title} subprocessorName={task.subprocessor?.name} />
                  </Link>
                  <br />
                  <span className="mono small">{task.caseReference}</span>
                  {task.evidenceRequired && task.status === "open" ? <span className="small muted"> · {t("contracts.task.evidenceRequired")}</span> : null}
                </>
              ),
            },
            { label: t("contracts.col.customer"), cell: (task) => <Link to={`/customers/${task.customerId}`}>{task.customerName}</Link> },
            {
              label: t("contracts.col.status"),
              cell: (task) => (
                <>
                  <TaskStatusBadge status={task.status} overdue={task.overdue} />
                  {task.completedDisplay && task.status !== "open" ? <span className="small"> {task.completedDisplay}</span> : null}
                </>
              ),
            },
            { label: t("contracts.col.assignee"), cell: (task) => task.assignee?.name ?? <span className="muted">{t("contracts.task.unassigned")}</span> },
          ]}
        />
      )}
      <nav className="pagination" aria-label={t("contracts.tasks.pages")}>
        {query.cursor ? <Link to={pageLink(null)}>{t("common.first")}</Link> : null}
        {page.next ? <Link to={pageLink(page.next)}>{t("common.next")} →</Link> : null}
      </nav>
    </>
  );
}
