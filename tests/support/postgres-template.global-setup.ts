import { TEMPLATE_DATABASE, recreateMigratedDatabase } from "./postgres-template";

/** Builds the migrated template database once per run; test files clone it. */
export default function setup() {
  return recreateMigratedDatabase(TEMPLATE_DATABASE);
}
