/**
 * Registers for auditors (issue #7): the register definitions with documented columns, their row
 * sources and the CSV/XLSX/JSON/PDF writers. Routes and the audit pack use only what is exported here.
 */
export {
  CONTENT_TYPES,
  REGISTERS,
  RegisterExportRefused,
  effectiveRange,
  isExportFormat,
  isRegisterKey,
  parseRegisterFile,
  registerCatalog,
  registerCounts,
  registerRows,
  streamRegisterExport,
  type RegisterExport,
  type RegisterFilterInput,
  type RegisterInfo,
} from "./export.server";
export { EXPORT_FORMATS, REGISTER_KEYS, type Cell, type ColumnDef, type DateRange, type ExportFormat, type RegisterKey } from "./types";
export { XLSX_MAX_ROWS } from "./xlsx-writer";
export { AUDIT_LOG_FILTERS } from "./audit-log";
export { auditTrailPage, readableData, verifyWorkspaceAuditChain, AUDIT_PAGE_SIZE, type AuditTrailEvent } from "./audit-trail.server";
