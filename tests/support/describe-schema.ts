import type { Sql } from "@/lib/db/database";

/**
 * Everything about the `public` schema that migrations decide, as sorted text lines: tables and columns
 * with types, defaults and nullability, constraints, indexes, functions with their bodies and settings,
 * triggers, row-level security, policies, privileges and extensions. Two databases with equal lines have
 * the same schema.
 */
export async function describeSchema(sql: Sql): Promise<string[]> {
  const parts = await Promise.all([
    sql<{ line: string }>`
      select format('column %s.%s %s %s default %s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
        case when a.attnotnull then 'not null' else 'null' end, coalesce(pg_get_expr(d.adbin, d.adrelid), '-')) as line
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where n.nspname = 'public' and c.relkind in ('r', 'v', 'm') and a.attnum > 0 and not a.attisdropped`,
    sql<{ line: string }>`
      select format('table %s kind %s rls %s force %s acl %s', c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity,
        coalesce((select string_agg(x::text, ',' order by x::text) from unnest(c.relacl) x), '-')) as line
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'v', 'm', 'S')`,
    sql<{ line: string }>`
      select format('constraint %s.%s %s', c.relname, k.conname, pg_get_constraintdef(k.oid)) as line
      from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public'`,
    sql<{ line: string }>`
      select format('index %s', pg_get_indexdef(i.indexrelid)) as line
      from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public'`,
    sql<{ line: string }>`
      select format('function %s security definer %s config %s acl %s body %s', p.oid::regprocedure, p.prosecdef,
        coalesce(array_to_string(p.proconfig, ','), '-'),
        coalesce((select string_agg(x::text, ',' order by x::text) from unnest(p.proacl) x), '-'),
        md5(pg_get_functiondef(p.oid))) as line
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`,
    sql<{ line: string }>`
      select format('trigger %s.%s %s %s', c.relname, t.tgname, t.tgenabled, pg_get_triggerdef(t.oid)) as line
      from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and not t.tgisinternal`,
    sql<{ line: string }>`
      select format('policy %s.%s %s %s %s', tablename, policyname, cmd, roles::text, coalesce(qual, '-')) as line
      from pg_policies where schemaname = 'public'`,
    sql<{ line: string }>`
      select format('default privileges %s %s %s', pg_get_userbyid(d.defaclrole), d.defaclobjtype,
        (select string_agg(x::text, ',' order by x::text) from unnest(d.defaclacl) x)) as line
      from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace
      where n.nspname = 'public' or d.defaclnamespace = 0`,
    sql<{ line: string }>`select format('extension %s', extname) as line from pg_extension`,
  ]);
  return parts
    .flat()
    .map((row) => row.line)
    .sort();
}
