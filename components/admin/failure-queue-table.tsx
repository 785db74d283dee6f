"use client";

import {
  type RowSelectionState,
  type SortingState,
  createColumnHelper,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
} from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { FailureListRow } from "@/lib/failure-queue/list-failures";
import { queueHref } from "@/lib/failure-queue/queue-href";
import type { QueueParams } from "@/lib/failure-queue/queue-params";
import { BulkActions } from "./bulk-actions";
import { humanize } from "./format";
import { isTyping } from "./keyboard-shortcuts";
import { triggerLabel } from "./labels";
import { LocalTime } from "./local-time";

const features = tableFeatures({ rowSelectionFeature, rowSortingFeature });
const column = createColumnHelper<typeof features, FailureListRow>();

/** Sortable columns map to the server's keyset sorts; the rest are display only. */
const SORT_COLUMN_IDS: Record<string, QueueParams["sort"]> = {
  receivedAt: "received",
  eventCreatedAt: "event_time",
};

function attendeeOf(row: FailureListRow): string | null {
  if (row.attendeeName && row.attendeeEmail) return `${row.attendeeName} · ${row.attendeeEmail}`;
  return row.attendeeEmail ?? row.attendeeName;
}

const columns = column.columns([
  column.display({
    id: "select",
    header: ({ table }) => (
      <input
        type="checkbox"
        aria-label="Select all on this page"
        checked={table.getIsAllRowsSelected()}
        onChange={table.getToggleAllRowsSelectedHandler()}
      />
    ),
    cell: ({ row }) => (
      <input
        type="checkbox"
        aria-label={`Select ${row.original.attendeeEmail ?? row.original.bookingUid ?? row.original.id}`}
        checked={row.getIsSelected()}
        onChange={row.getToggleSelectedHandler()}
      />
    ),
  }),
  column.accessor("receivedAt", {
    header: "Received",
    sortDescFirst: true,
    cell: ({ getValue }) => <LocalTime value={getValue()} />,
  }),
  column.accessor("reason", {
    header: "Reason",
    enableSorting: false,
    cell: ({ getValue }) => (
      <span className={getValue() === "unverified" ? "badge bad" : "badge"}>{humanize(getValue())}</span>
    ),
  }),
  column.accessor("trigger", {
    header: "Trigger",
    enableSorting: false,
    cell: ({ getValue }) => triggerLabel(getValue()),
  }),
  column.accessor("attendeeEmail", {
    header: "Attendee",
    enableSorting: false,
    cell: ({ row }) => (
      <>
        <Link href={`/admin/failures/${row.original.id}`}>{attendeeOf(row.original) ?? "No attendee"}</Link>
        {row.original.claimed ? (
          <span className="badge bad" title="What an unverified body claims: not checked">
            claimed
          </span>
        ) : null}
      </>
    ),
  }),
  column.accessor("bookingUid", {
    header: "Booking uid",
    enableSorting: false,
    cell: ({ getValue }) => <code>{getValue() ?? "—"}</code>,
  }),
  column.accessor("eventCreatedAt", {
    header: "Event time",
    sortDescFirst: true,
    cell: ({ getValue }) => <LocalTime value={getValue()} />,
  }),
  column.accessor("deliveryCount", { header: "Deliveries", enableSorting: false }),
  column.accessor("status", {
    header: "Status",
    enableSorting: false,
    cell: ({ row }) => {
      const { status, resolution } = row.original;
      return resolution && resolution !== status ? `${status} (${humanize(resolution)})` : status;
    },
  }),
]);

interface FailureQueueTableProps {
  rows: FailureListRow[];
  params: QueueParams;
  /** How many items the filters match, across every page. */
  total: number;
}

/**
 * The queue's page of rows. Sorting is the server's (it changes the URL, which reloads the page by
 * keyset); selection feeds the bulk actions. Keys: j/k move between rows, Enter opens, x selects.
 */
export function FailureQueueTable({ rows, params, total }: FailureQueueTableProps) {
  const router = useRouter();
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [focusedIndex, setFocusedIndex] = useState(0);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const sorting: SortingState = [
    { id: params.sort === "received" ? "receivedAt" : "eventCreatedAt", desc: params.dir === "desc" },
  ];

  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    manualSorting: true,
    // The server always sorts by something: a click flips the direction instead of removing the sort.
    enableSortingRemoval: false,
    state: { rowSelection, sorting },
    onRowSelectionChange: setRowSelection,
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const [first] = next;
      const sort = first ? SORT_COLUMN_IDS[first.id] : undefined;
      if (sort) router.push(queueHref(params, { sort, dir: first.desc ? "desc" : "asc" }));
    },
  });
  const tableRows = table.getRowModel().rows;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.metaKey || event.ctrlKey || event.altKey || tableRows.length === 0)
        return;
      const rowElements = bodyRef.current?.querySelectorAll<HTMLTableRowElement>("tr");
      const inTable = [...(rowElements ?? [])].some((row) => row === document.activeElement);
      // The first j or k only brings focus to the table; after that they move it.
      const move = !inTable ? 0 : event.key === "j" ? 1 : event.key === "k" ? -1 : 0;
      const current = tableRows[focusedIndex];
      if (event.key === "j" || event.key === "k") {
        const next = Math.min(tableRows.length - 1, Math.max(0, focusedIndex + move));
        setFocusedIndex(next);
        rowElements?.[next]?.focus();
      } else if (event.key === "Enter" && event.target instanceof HTMLTableRowElement && current) {
        router.push(`/admin/failures/${current.original.id}`);
      } else if (event.key === "x" && current) {
        current.toggleSelected();
      } else {
        return;
      }
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [focusedIndex, router, tableRows]);

  return (
    <>
      <BulkActions
        selectedIds={table.getSelectedRowIds()}
        allOnPage={tableRows.length > 0 && table.getIsAllRowsSelected()}
        total={total}
        search={queueHref(params, {}).split("?")[1] ?? ""}
        onDone={() => setRowSelection({})}
      />
      <div className="table-scroll">
        <table className="data-table keep-head" aria-label="Failure queue" aria-describedby="queue-keys">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const sortable = header.column.id in SORT_COLUMN_IDS;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      data-control={sortable || header.column.id === "select" ? "true" : undefined}
                      aria-sort={
                        sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined
                      }
                    >
                      {sortable ? (
                        <button type="button" onClick={header.column.getToggleSortingHandler()}>
                          <table.FlexRender header={header} />
                          {sorted === "asc" ? " ↑" : sorted === "desc" ? " ↓" : ""}
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody ref={bodyRef}>
            {tableRows.map((row, index) => (
              <tr
                key={row.id}
                tabIndex={index === focusedIndex ? 0 : -1}
                data-selected={row.getIsSelected()}
                onFocus={() => setFocusedIndex(index)}
              >
                {row.getAllCells().map((cell) => (
                  <td
                    key={cell.id}
                    data-label={
                      typeof cell.column.columnDef.header === "string"
                        ? cell.column.columnDef.header
                        : undefined
                    }
                  >
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {tableRows.length === 0 ? (
        <p className="empty">Nothing here. No failure matches these filters.</p>
      ) : null}
      <p id="queue-keys" className="muted">
        Keys: j / k move between rows, Enter opens the row, x selects it, / searches; <kbd>?</kbd> lists them.
      </p>
    </>
  );
}
