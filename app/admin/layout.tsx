import Link from "next/link";
import type { ReactNode } from "react";
import { ConsoleNav } from "@/components/admin/console-nav";
import { Toaster } from "@/components/admin/toaster";
import { SchemaOutdated } from "@/components/admin/schema-outdated";
import { currentStaff } from "@/lib/auth/current-staff";
import { isSchemaOutdated } from "@/lib/db/schema-version";
import { signOut } from "./session-actions";
import "./admin.css";

/** The console's frame. It only shapes the page: every page and action checks the session and role itself. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  let staff;
  try {
    staff = await currentStaff();
  } catch (error) {
    if (!isSchemaOutdated(error)) throw error;
    return <SchemaOutdated found={error.found} />;
  }
  return (
    <Toaster>
      {staff ? (
        <header className="admin-bar">
          <div className="admin-bar-start">
            <Link href="/admin" className="brand">
              Booking Handoff
            </Link>
            <ConsoleNav isManager={staff.role === "manager"} />
          </div>
          <form action={signOut}>
            <span className="who">
              {staff.email} · {staff.role}
            </span>
            <button type="submit" className="secondary small-button">
              Sign out
            </button>
          </form>
        </header>
      ) : null}
      {children}
    </Toaster>
  );
}
