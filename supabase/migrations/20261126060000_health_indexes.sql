-- The health page counts a period's deliveries by day and outcome. This covering index lets it read them
-- without touching the rows (which carry the raw bodies): an index-only scan even at a million deliveries.
create index webhook_events_health_idx on public.webhook_events (received_at)
  include (outcome, verification, delivery_count, lead_id);
create index webhook_failures_resolved_idx on public.webhook_failures (resolved_at) where resolved_at is not null;
