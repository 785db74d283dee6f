/**
 * The role the server's own connection belongs to (20261201040000_app_role_least_privilege.sql grants it).
 */
export const APP_ROLE = "booking_handoff_app";
