import type { ReactNode } from "react";

/**
 * The filters past the first, folded under "More filters" on a phone unless one of them is set; on wider
 * screens the stylesheet keeps them open and hides the toggle.
 */
export function MoreFilters({ active, children }: { active: number; children: ReactNode }) {
  return (
    <details className="more-filters" open={active > 0 ? true : undefined}>
      <summary>{active > 0 ? `More filters · ${active} set` : "More filters"}</summary>
      <div className="more-filters-fields">{children}</div>
    </details>
  );
}
