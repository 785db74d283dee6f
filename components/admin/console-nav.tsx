"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/admin", label: "Failure queue", managersOnly: false },
  { href: "/admin/leads", label: "Leads", managersOnly: false },
  { href: "/admin/health", label: "Health", managersOnly: false },
  { href: "/admin/audit", label: "Audit trail", managersOnly: true },
];

export function ConsoleNav({ isManager }: { isManager: boolean }) {
  const pathname = usePathname();
  const current = (href: string) =>
    href === "/admin"
      ? pathname === "/admin" || pathname.startsWith("/admin/failures")
      : pathname.startsWith(href);
  return (
    <nav aria-label="Console">
      {LINKS.filter((link) => isManager || !link.managersOnly).map((link) => (
        <Link key={link.href} href={link.href} aria-current={current(link.href) ? "page" : undefined}>
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
