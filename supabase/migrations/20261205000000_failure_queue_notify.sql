-- Staff see new queue items arrive without reloading: each statement that queues items sends one NOTIFY on the
-- `failure_queue` channel, which the console's event stream LISTENs to. The notification carries no data (the
-- console reads the queue as the signed-in user would), and only commits deliver it, so a rolled-back
-- webhook transaction announces nothing. One per statement, not per row: a burst costs one message.
create function public.notify_failure_queued() returns trigger
language plpgsql set search_path = '' as $$
begin
  perform pg_notify('failure_queue', '');
  return null;
end;
$$;
-- A trigger runs it; nobody calls it (PostgreSQL grants EXECUTE to PUBLIC on every new function).
revoke all on function public.notify_failure_queued() from public;

create trigger webhook_failures_notify_queued
  after insert on public.webhook_failures
  for each statement execute function public.notify_failure_queued();
