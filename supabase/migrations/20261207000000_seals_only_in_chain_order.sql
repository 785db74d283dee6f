-- Seals only the sealer makes, in chain order; a purge only of the chain's own old prefix (#25).
--
-- Before: the app's role could insert any seal row. A row with a negative `seq` naming a fresh entry kept that
-- entry out of the chain (the sealer saw it as sealed, the verifier walks only seq > anchor), and the purge,
-- which deleted `where seq <= edge`, then removed it while it was minutes old; the full check still said intact.
--
-- Now the app writes seals only through append_audit_seals, which runs with the owner's rights and accepts a
-- batch only at the chain's next place: seq = head + 1 onwards (head = the newest seal or the retention anchor,
-- never below 0), entries that exist, are not yet sealed and come in id order, and a horizon no later than
-- what has finished. The MAC itself is computed by the app with a key the database never holds, so the
-- database cannot check it: a seal at the right place with a wrong MAC is accepted here and named by the
-- verifier. Seal rows left outside the chain by the old grant stay as evidence (the check below is NOT VALID
-- so they are not rewritten away) and the verifier names them.

revoke insert on public.audit_seals from booking_handoff_app;

alter table public.audit_seals add constraint audit_seals_seq_positive check (seq > 0) not valid;

create function public.append_audit_seals(
  p_first_seq bigint, p_entry_ids bigint[], p_macs text[], p_key_id text, p_horizon xid8
) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_head bigint;
  v_missing bigint;
  v_sealed bigint;
begin
  if coalesce(cardinality(p_entry_ids), 0) = 0 or cardinality(p_entry_ids) <> coalesce(cardinality(p_macs), 0) then
    raise exception 'audit seals come one MAC per entry, at least one' using errcode = 'invalid_parameter_value';
  end if;
  -- The sealer's own lock (it already holds it; anyone else waits), so two batches never claim one place.
  perform pg_advisory_xact_lock(hashtextextended('booking-handoff:audit-sealer', 0));
  select greatest(0, (select max(seq) from public.audit_seals), (select seq from public.audit_chain_anchor))
  into v_head;
  if p_first_seq is distinct from v_head + 1 then
    raise exception 'audit seals must start at #% (the chain''s head is #%), not #%', v_head + 1, v_head, p_first_seq
      using errcode = 'check_violation';
  end if;
  if p_entry_ids is distinct from (select array_agg(distinct u.entry_id order by u.entry_id)
                                   from unnest(p_entry_ids) as u (entry_id)) then
    raise exception 'audit seals must name each entry once, in entry order' using errcode = 'check_violation';
  end if;
  select u.entry_id into v_missing from unnest(p_entry_ids) as u (entry_id)
  where not exists (select 1 from public.audit_log a where a.id = u.entry_id) limit 1;
  if v_missing is not null then
    raise exception 'there is no audit entry #% to seal', v_missing using errcode = 'foreign_key_violation';
  end if;
  select s.entry_id into v_sealed from public.audit_seals s where s.entry_id = any (p_entry_ids) limit 1;
  if v_sealed is not null then
    raise exception 'audit entry #% is already sealed', v_sealed using errcode = 'unique_violation';
  end if;
  -- A later horizon would make the next pass skip entries of transactions that have not finished.
  if p_horizon > pg_snapshot_xmin(pg_current_snapshot()) then
    raise exception 'a seal''s horizon cannot be later than the oldest transaction still running'
      using errcode = 'check_violation';
  end if;
  insert into public.audit_seals (seq, entry_id, mac, key_id, horizon)
  select p_first_seq + s.n - 1, s.entry_id, s.mac, p_key_id, p_horizon
  from unnest(p_entry_ids, p_macs) with ordinality as s (entry_id, mac, n);
end;
$$;
revoke all on function public.append_audit_seals(bigint, bigint[], text[], text, xid8) from public;
grant execute on function public.append_audit_seals(bigint, bigint[], text[], text, xid8) to booking_handoff_app;

-- The purge removes the chain's prefix only: seals from just after the anchor up to the edge, every one of them
-- present (no gap) and sealed before the cut-off. A seal outside the chain (seq at or below the anchor) is never
-- a reason to delete its entry. What the database cannot check, the seals' MACs, the verifier checks: a moved
-- anchor needs a checkpoint signed with the key before the cut-off.
create or replace function public.purge_expired_audit_entries() returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_cutoff timestamptz;
  v_anchor bigint;
  v_start bigint;
  v_edge bigint;
  v_prefix bigint;
  v_young bigint;
  v_mac text;
  v_removed bigint;
begin
  select now() - make_interval(days => audit_days) into v_cutoff from public.retention_settings;
  select seq into v_anchor from public.audit_chain_anchor;
  v_start := greatest(coalesce(v_anchor, 0), 0);
  select least(
    (select max(head_seq) from public.audit_checkpoints where created_at < v_cutoff),
    (select max(seq) from public.audit_seals where seq > v_start and sealed_at < v_cutoff))
  into v_edge;
  if v_edge is null or v_edge <= v_start then
    return jsonb_build_object('removed', 0, 'anchorSeq', v_anchor);
  end if;
  select count(*), count(*) filter (where sealed_at >= v_cutoff) into v_prefix, v_young
  from public.audit_seals where seq > v_start and seq <= v_edge;
  if v_prefix <> v_edge - v_start or v_young > 0 then
    return jsonb_build_object('removed', 0, 'anchorSeq', v_anchor,
      'refused', format('seals #%s to #%s are not the chain''s old prefix (a gap, or a seal made after the cut-off)',
        v_start + 1, v_edge));
  end if;
  select mac into v_mac from public.audit_seals where seq = v_edge;
  insert into public.audit_chain_anchor (id, seq, mac) values (true, v_edge, v_mac)
  on conflict (id) do update set seq = excluded.seq, mac = excluded.mac, purged_at = now();
  perform set_config('booking_handoff.audit_purge', 'on', true);
  with gone as (delete from public.audit_seals where seq > v_start and seq <= v_edge returning entry_id)
  delete from public.audit_log where id in (select entry_id from gone);
  get diagnostics v_removed = row_count;
  perform set_config('booking_handoff.audit_purge', 'off', true);
  return jsonb_build_object('removed', v_removed, 'anchorSeq', v_edge);
end;
$$;
