/**
 * The tables of the end-of-contract pages (dashboard, task board, case, portal): a `table-wrap` with an
 * `eoc-stack` table whose cells carry their column's label (`data-label`), so that on a narrow screen
 * each row stacks into labelled lines.
 */
import type { ReactNode } from "react";

export type ContractColumn<T> = { label: string; className?: string; cell: (row: T) => ReactNode };

export function ContractTable<T>({
  columns,
  rows,
  rowKey,
  rowClassName,
}: {
  columns: ContractColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => string;
  rowClassName?: (row: T) => string | undefined;
}) {
  return (
    <div className="table-wrap">
      <table className="eoc-stack">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={rowKey(row, index)} className={rowClassName?.(row)}>
              {columns.map((column) => (
                <td key={column.label} className={column.className} data-label={column.label}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
