/**
 * Connections one server process keeps to PostgreSQL unless DATABASE_POOL_MAX says otherwise: about twice the
 * cores of the database it talks to (Supabase's smaller computes have two). Every webhook delivery is one
 * statement that keeps its backend busy on the CPU; more backends than the database has cores to run them only
 * switch between each other (bench-peer on two cores: 2 connections 683 events/s, 4: 636–667, 10: 570–574).
 */
export const DEFAULT_POOL_SIZE = 4;
