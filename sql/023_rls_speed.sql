-- 023_rls_speed.sql — row-level security at the price the clerks' lists
-- can pay (tests/bench/rls.sh measures it).  Same rules, cheaper forms:
--
--   acting_user_id(), acting_unit_id(), user_active()  in PL/pgSQL: their
--        queries are planned once per connection instead of at every call
--        (every policy calls them, several times per statement);
--   acting_subtree()  the ids of the units of the acting user's subtree,
--        computed once per statement;
--   legal_case_visible  rewritten as "unit_id = ANY (subtree) OR created_by
--        = me": the same rows as 001_core.sql's EXISTS form, but a plain
--        comparison the planner can use with an index and costs right;
--   (searches on person: person_ids_matching in 022_personal_data.sql);
--   jit off for caseterm_app: the policies' subplans inflate cost estimates
--        past jit_above_cost and a short OLTP query then spends tens of
--        milliseconds compiling.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

ALTER ROLE caseterm_app SET jit = off;

-- ---------------------------------------------------------------- the acting user

CREATE OR REPLACE FUNCTION caseterm.user_active(p_user_id bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    RETURN coalesce((
        SELECT NOT u.disabled
               AND NOT EXISTS (SELECT 1 FROM org_unit a
                               WHERE a.id = ANY (o.path) AND a.disabled)
        FROM app_user u
        JOIN org_unit o ON o.id = u.unit_id
        WHERE u.id = p_user_id), false);
END
$$;

CREATE OR REPLACE FUNCTION caseterm.acting_user_id() RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v bigint := current_user_id();
BEGIN
    IF v IS NULL OR NOT user_active(v) THEN
        RETURN NULL;
    END IF;
    RETURN v;
END
$$;

CREATE OR REPLACE FUNCTION caseterm.acting_unit_id() RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    RETURN (SELECT unit_id FROM app_user WHERE id = acting_user_id());
END
$$;

-- The ids of the acting user's unit and every unit below it; empty when
-- no active user acts.  In a policy write (SELECT caseterm.acting_subtree())
-- so that it runs once per statement.
CREATE FUNCTION caseterm.acting_subtree() RETURNS bigint[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_unit bigint := acting_unit_id();
BEGIN
    IF v_unit IS NULL THEN
        RETURN ARRAY[]::bigint[];
    END IF;
    RETURN ARRAY(SELECT o.id FROM org_unit o WHERE o.path @> ARRAY[v_unit]
                 ORDER BY o.id);
END
$$;

-- ---------------------------------------------------------------- legal_case

DROP POLICY legal_case_visible ON caseterm.legal_case;
CREATE POLICY legal_case_visible ON caseterm.legal_case
    FOR SELECT TO caseterm_app
    USING (unit_id = ANY ((SELECT caseterm.acting_subtree())::bigint[])
           OR created_by = (SELECT caseterm.acting_user_id()));

REVOKE EXECUTE ON FUNCTION caseterm.acting_subtree() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.acting_subtree() TO caseterm_app;
