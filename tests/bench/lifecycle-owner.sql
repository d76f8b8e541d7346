-- tests/bench/lifecycle-owner.sql — the other side of the RLS comparison
-- of tests/bench/lifecycle.sh: the screens' queries as the owner's, which
-- row-level security does not apply to, copied from the functions as they
-- are now (lifecycle-setup.sql runs it; COMPARE runs it again after the
-- migration):
--
--   bench.case_list_owner     case_list, a view of the owner's (case_list
--                             itself belongs to caseterm_rls, under the
--                             policies, 042)
--   bench.inbox_owner         inbox, reading bench.case_list_owner
--   bench.search_cases_owner  search_cases as the owner (not SECURITY
--                             DEFINER: it runs as its caller, postgres),
--                             reading bench.case_list_owner
--
--   psql -v ON_ERROR_STOP=1 -f tests/bench/lifecycle-owner.sql caseterm

DROP VIEW IF EXISTS bench.case_list_owner;
SELECT format('CREATE VIEW bench.case_list_owner AS %s',
              pg_get_viewdef('caseterm.case_list'::regclass)) \gexec
SELECT replace(replace(pg_get_functiondef('caseterm.inbox'::regproc),
                       'caseterm.inbox(', 'bench.inbox_owner('),
               'FROM case_list l', 'FROM bench.case_list_owner l') \gexec
SELECT replace(replace(replace(pg_get_functiondef('caseterm.search_cases'::regproc),
                               'caseterm.search_cases', 'bench.search_cases_owner'),
                       'SECURITY DEFINER', ''),
               'FROM case_list l', 'FROM bench.case_list_owner l') \gexec
DO $$
BEGIN
    IF strpos(pg_get_functiondef('bench.inbox_owner'::regproc), 'bench.case_list_owner') = 0
       OR strpos(pg_get_functiondef('bench.search_cases_owner'::regproc), 'bench.case_list_owner') = 0
       OR strpos(pg_get_functiondef('bench.search_cases_owner'::regproc), 'SECURITY DEFINER') > 0 THEN
        RAISE EXCEPTION 'lifecycle-owner: the owner''s copies do not read bench.case_list_owner';
    END IF;
END
$$;
