import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Booking Handoff",
  description: "Every booked call tied to its lead, with the CRM stage moved for you.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page carries the request's CSP nonce, so none may be prerendered at build time.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
