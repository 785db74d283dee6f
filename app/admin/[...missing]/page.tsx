import { notFound } from "next/navigation";

/** Any other address under /admin: the console's own 404, inside the console's frame. */
export default function UnknownConsolePage(): never {
  notFound();
}
