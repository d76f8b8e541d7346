-- 042_case_names.sql — the names of a case's people kept with the case,
-- for the lists and the two-character name search at 2 million cases
-- (issue 5: every lookup under 20 ms at p99; issue 6: row-level security
-- under 25%).  tests/bench/lifecycle.sh measures both.
--
--   legal_case.applicant_name
--        the applicant's name, kept by triggers from person.  case_list
--        (every inbox, search and list) read it from person, whose
--        policies ran a subplan over legal_case for every line (0.75 ms
--        for 50 lines, 7 ms for 500).  The case's own row now has it.  The
--        application role may not read the column: case_list shows it
--        only to users who may see people (not analysts), like the
--        policies of person did, and belongs to caseterm_rls (security
--        definer view) so that it can read the column while the policies
--        of legal_case still decide which cases come out;
--   case_gram
--        one row per case and bigram of the names of its applicant and
--        parties (person.name_grams), with the creation time and the
--        columns the policies of legal_case look at (unit_id, created_by,
--        handler_id, dispatched_by_unit), kept by triggers.  A
--        two-character name is one bigram: the newest cases of it are an
--        ordered walk of case_gram_search, skipping on the index the
--        cases outside the clerk's jurisdiction, with each case kept
--        checked on legal_case under its policies.  Before, a common name
--        (王伟: 2,400 people, 3,900 cases) cost a probe per person and per
--        case: 60 ms at p99.  Readable by caseterm_rls only: search_cases
--        (as caseterm_rls) reads it; the ids it gives meet legal_case
--        under the policies.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

-- ---------------------------------------------------------------- applicant_name

ALTER TABLE caseterm.legal_case ADD COLUMN applicant_name text;

-- The cases already there, without the user triggers: the backfill is
-- not a change of the case (legal_case_touch would bump every version
-- and updated_at, and a clerk's open screen would see "changed by").
SET LOCAL session_replication_role = replica;
UPDATE caseterm.legal_case c SET applicant_name = p.name
    FROM caseterm.person p WHERE p.id = c.applicant_id;
SET LOCAL session_replication_role = origin;

-- The application role reads every column of legal_case but
-- applicant_name (see the head of this file).
REVOKE SELECT ON caseterm.legal_case FROM caseterm_app;
DO $$
BEGIN
    EXECUTE (SELECT format('GRANT SELECT (%s) ON caseterm.legal_case TO caseterm_app',
                           string_agg(quote_ident(attname), ', ' ORDER BY attnum))
             FROM pg_attribute
             WHERE attrelid = 'caseterm.legal_case'::regclass AND attnum > 0
               AND NOT attisdropped AND attname <> 'applicant_name');
END
$$;
GRANT SELECT ON caseterm.legal_case TO caseterm_rls;

-- ---------------------------------------------------------------- case_gram

CREATE TABLE caseterm.case_gram (
    case_id            bigint NOT NULL REFERENCES caseterm.legal_case (id)
                              ON DELETE CASCADE,
    gram               text NOT NULL,
    created_at         timestamptz NOT NULL,
    unit_id            bigint NOT NULL,
    created_by         bigint NOT NULL,
    handler_id         bigint,
    dispatched_by_unit bigint,
    PRIMARY KEY (case_id, gram)
);
CREATE INDEX case_gram_search ON caseterm.case_gram (gram, created_at DESC, case_id DESC)
    INCLUDE (unit_id, created_by, handler_id, dispatched_by_unit);
GRANT SELECT ON caseterm.case_gram TO caseterm_rls;

-- Make the rows of case_gram of one case what they should be: every
-- bigram of the names of its applicant and parties, with the case's
-- columns.
CREATE FUNCTION caseterm.case_gram_refresh(p_case_id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    DELETE FROM case_gram WHERE case_id = p_case_id;
    INSERT INTO case_gram (case_id, gram, created_at, unit_id, created_by,
                           handler_id, dispatched_by_unit)
    SELECT c.id, g.gram, c.created_at, c.unit_id, c.created_by, c.handler_id,
           c.dispatched_by_unit
    FROM legal_case c,
         LATERAL (SELECT DISTINCT x AS gram
                  FROM (SELECT p.name_grams FROM person p WHERE p.id = c.applicant_id
                        UNION ALL
                        SELECT p.name_grams FROM case_party q
                        JOIN person p ON p.id = q.person_id
                        WHERE q.case_id = c.id) s,
                       unnest(s.name_grams) x) g
    WHERE c.id = p_case_id;
END
$$;

-- legal_case, before a row is written: the applicant's name.
CREATE FUNCTION caseterm.legal_case_applicant_name() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    NEW.applicant_name := (SELECT p.name FROM person p WHERE p.id = NEW.applicant_id);
    RETURN NEW;
END
$$;
CREATE TRIGGER legal_case_applicant_name BEFORE INSERT OR UPDATE OF applicant_id
    ON caseterm.legal_case
    FOR EACH ROW EXECUTE FUNCTION caseterm.legal_case_applicant_name();

-- legal_case, after a row is written: its grams (a new case has no
-- parties yet), or their copy of the columns the policies look at.
CREATE FUNCTION caseterm.legal_case_grams() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO case_gram (case_id, gram, created_at, unit_id, created_by,
                               handler_id, dispatched_by_unit)
        SELECT NEW.id, x, NEW.created_at, NEW.unit_id, NEW.created_by,
               NEW.handler_id, NEW.dispatched_by_unit
        FROM person p, unnest(p.name_grams) x
        WHERE p.id = NEW.applicant_id;
    ELSIF NEW.applicant_id IS DISTINCT FROM OLD.applicant_id THEN
        PERFORM case_gram_refresh(NEW.id);
    ELSE
        UPDATE case_gram
           SET unit_id = NEW.unit_id, handler_id = NEW.handler_id,
               dispatched_by_unit = NEW.dispatched_by_unit
         WHERE case_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER legal_case_grams_insert AFTER INSERT ON caseterm.legal_case
    FOR EACH ROW EXECUTE FUNCTION caseterm.legal_case_grams();
CREATE TRIGGER legal_case_grams_update AFTER UPDATE ON caseterm.legal_case
    FOR EACH ROW
    WHEN (OLD.applicant_id IS DISTINCT FROM NEW.applicant_id
          OR OLD.unit_id IS DISTINCT FROM NEW.unit_id
          OR OLD.handler_id IS DISTINCT FROM NEW.handler_id
          OR OLD.dispatched_by_unit IS DISTINCT FROM NEW.dispatched_by_unit)
    EXECUTE FUNCTION caseterm.legal_case_grams();

-- case_party: a party added, changed or removed changes its case's grams.
CREATE FUNCTION caseterm.case_party_grams() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM case_gram_refresh(OLD.case_id);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.case_id <> OLD.case_id) THEN
        PERFORM case_gram_refresh(NEW.case_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER case_party_grams AFTER INSERT OR DELETE OR UPDATE OF case_id, person_id
    ON caseterm.case_party
    FOR EACH ROW EXECUTE FUNCTION caseterm.case_party_grams();

-- person: a new name is the new applicant_name of their cases and new
-- grams of every case they are in.
CREATE FUNCTION caseterm.person_name_cases() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_case bigint;
BEGIN
    UPDATE legal_case SET applicant_name = NEW.name WHERE applicant_id = NEW.id;
    FOR v_case IN SELECT c.id FROM legal_case c WHERE c.applicant_id = NEW.id
                  UNION
                  SELECT q.case_id FROM case_party q WHERE q.person_id = NEW.id LOOP
        PERFORM case_gram_refresh(v_case);
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER person_name_cases AFTER UPDATE OF name ON caseterm.person
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION caseterm.person_name_cases();

-- The cases already there.
INSERT INTO caseterm.case_gram (case_id, gram, created_at, unit_id, created_by,
                                handler_id, dispatched_by_unit)
SELECT c.id, g.gram, c.created_at, c.unit_id, c.created_by, c.handler_id,
       c.dispatched_by_unit
FROM (SELECT DISTINCT x.case_id, x.gram
      FROM (SELECT c.id AS case_id, unnest(p.name_grams) AS gram
            FROM caseterm.legal_case c JOIN caseterm.person p ON p.id = c.applicant_id
            UNION ALL
            SELECT q.case_id, unnest(p.name_grams)
            FROM caseterm.case_party q JOIN caseterm.person p ON p.id = q.person_id) x) g
JOIN caseterm.legal_case c ON c.id = g.case_id;

-- ---------------------------------------------------------------- case_list

-- case_list (008): the applicant's name from the case, for users who may
-- see people.  Owned by caseterm_rls, not security_invoker: it reads
-- applicant_name, which caseterm_app may not, and the policies of
-- legal_case apply to caseterm_rls (a member of caseterm_app) as they do
-- to the application.
CREATE OR REPLACE VIEW caseterm.case_list AS
    SELECT c.id AS case_id, c.case_no, c.kind, c.state::text AS state,
           c.urgent, c.supervised, c.subject,
           CASE WHEN (SELECT caseterm.acting_user_sees_persons())
                THEN c.applicant_name END AS applicant_name,
           c.unit_id, o.name AS unit_name, c.handler_id,
           h.display_name AS handler_name, c.due_at,
           caseterm.warning_level(c.due_at, c.deadline_paused_at, c.state,
                                  (SELECT caseterm.due_soon_limit())) AS warning,
           c.created_at, c.updated_at, c.version
    FROM caseterm.legal_case c
    JOIN caseterm.org_unit o ON o.id = c.unit_id
    LEFT JOIN caseterm.app_user h ON h.id = c.handler_id;
ALTER VIEW caseterm.case_list SET (security_invoker = false);
ALTER VIEW caseterm.case_list OWNER TO caseterm_rls;
GRANT SELECT ON caseterm.case_list TO caseterm_app;

-- ---------------------------------------------------------------- search

-- Search the cases the acting user can see (criteria, columns and errors
-- as in 008_queries.sql; runs as caseterm_rls, see 024).  The cases are
-- chosen first, newest first, at most p_limit, then their lines of
-- case_list are read.  A name of two characters alone (no ID number or
-- mobile number) is one bigram: its cases are walked newest first on
-- case_gram, those outside the policies' columns skipped on the index,
-- each kept checked on legal_case under the policies.  Other person
-- criteria: the cases whose applicant matches (found on legal_case under
-- the policies through legal_case_applicant, one probe per person) and
-- those of which a matching person is a party (person_party_case_ids,
-- then legal_case under the policies).
CREATE OR REPLACE FUNCTION caseterm.search_cases(p_case_no text DEFAULT NULL,
                                                 p_id_number text DEFAULT NULL,
                                                 p_phone text DEFAULT NULL,
                                                 p_name text DEFAULT NULL,
                                                 p_kind text DEFAULT NULL,
                                                 p_state text DEFAULT NULL,
                                                 p_unit_id bigint DEFAULT NULL,
                                                 p_from date DEFAULT NULL,
                                                 p_to date DEFAULT NULL,
                                                 p_limit int DEFAULT 100)
    RETURNS SETOF caseterm.case_list
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_no     text := clean_text(p_case_no);
    v_idno   text := upper(clean_text(p_id_number));
    v_phone  text := clean_text(p_phone);
    v_name   text := lower(clean_text(p_name));
    v_where  text[] := '{}';
    v_cases  bigint[];
    v_people bigint[];
    v_ids    bigint[];
    v_gram   boolean;
    v_sub    bigint[];
    v_me     bigint;
    v_alone  boolean;
BEGIN
    IF v_no IS NOT NULL THEN
        v_no := case_no_normalize(v_no);
        IF v_no IS NULL THEN
            RAISE EXCEPTION 'a case number looks like 2026-000123'
                USING ERRCODE = '22023', COLUMN = 'case_no';
        END IF;
        v_where := array_append(v_where, 'c.case_no = $1'::text);
    END IF;
    IF v_idno IS NOT NULL THEN
        IF v_idno !~ '^[0-9]{17}[0-9X]$' THEN
            RAISE EXCEPTION 'ID number must be 18 characters: 17 digits and a digit or X'
                USING ERRCODE = '22023', COLUMN = 'id_number';
        END IF;
    END IF;
    IF v_phone IS NOT NULL THEN
        v_phone := phone_normalize(v_phone);
        IF v_phone IS NULL THEN
            RAISE EXCEPTION 'mobile number must be 11 digits starting with 1'
                USING ERRCODE = '22023', COLUMN = 'phone';
        END IF;
    END IF;
    IF v_name IS NOT NULL THEN
        IF char_length(v_name) < 2 THEN
            RAISE EXCEPTION 'type at least two characters of the name'
                USING ERRCODE = '22023', COLUMN = 'name';
        END IF;
    END IF;
    v_gram := char_length(v_name) = 2 AND v_idno IS NULL AND v_phone IS NULL;
    IF v_gram AND NOT acting_user_sees_persons() THEN
        RETURN;
    END IF;
    IF NOT v_gram AND (v_idno IS NOT NULL OR v_phone IS NOT NULL OR v_name IS NOT NULL) THEN
        -- The cases of one person matching every person criterion, as the
        -- applicant or a party; none for a user who may not see people.
        v_people := CASE WHEN acting_user_sees_persons()
                         THEN person_match_any(v_idno, v_phone, v_name)
                         ELSE ARRAY[]::bigint[] END;
        v_cases := person_party_case_ids(v_people);
    END IF;
    IF p_kind IS NOT NULL THEN
        v_where := array_append(v_where, 'c.kind = $5'::text);
    END IF;
    IF p_state IS NOT NULL THEN
        v_where := array_append(v_where, 'c.state = $6'::text);
    END IF;
    IF p_unit_id IS NOT NULL THEN
        v_where := array_append(v_where,
            'c.unit_id IN (SELECT o.id FROM org_unit o WHERE o.path @> ARRAY[$7::bigint])'::text);
    END IF;
    IF p_from IS NOT NULL THEN
        v_where := array_append(v_where,
            'c.created_at >= $8::timestamp AT TIME ZONE ''Asia/Shanghai'''::text);
    END IF;
    IF p_to IS NOT NULL THEN
        v_where := array_append(v_where,
            'c.created_at < ($9 + 1)::timestamp AT TIME ZONE ''Asia/Shanghai'''::text);
    END IF;
    IF v_gram THEN
        -- The policies' columns on case_gram: unless the clerk sees the
        -- whole tree, only the cases they can see are fetched.
        v_alone := cardinality(v_where) = 0;
        v_sub := acting_subtree();
        v_me := acting_user_id();
        v_where := array_append(v_where, 'g.gram = $4'::text);
        IF cardinality(v_sub) < (SELECT count(*) FROM org_unit) THEN
            v_where := array_append(v_where,
                '(g.unit_id = ANY ($13) OR g.created_by = $14 OR g.handler_id = $14'
                ' OR g.dispatched_by_unit = ANY ($13))'::text);
        END IF;
    END IF;
    -- Only the fixed fragments above are SQL; every value is a parameter.
    EXECUTE 'SELECT ARRAY(SELECT '
            || CASE WHEN v_alone
                    -- the name alone: the ids from case_gram, checked
                    -- under the policies when case_list reads them
                    THEN 'g.case_id FROM case_gram g'
                    WHEN v_gram
                    THEN 'c.id FROM case_gram g JOIN legal_case c ON c.id = g.case_id'
                    WHEN v_people IS NOT NULL
                    THEN 'c.id FROM (SELECT a.id, a.created_at, a.case_no, a.kind, a.state, a.unit_id'
                         ' FROM unnest($12) p(id) JOIN legal_case a ON a.applicant_id = p.id'
                         ' UNION'
                         ' SELECT a.id, a.created_at, a.case_no, a.kind, a.state, a.unit_id'
                         ' FROM legal_case a WHERE a.id = ANY ($11)) c'
                    ELSE 'c.id FROM legal_case c' END
            || CASE WHEN cardinality(v_where) > 0
                    THEN ' WHERE ' || array_to_string(v_where, ' AND ') ELSE '' END
            || CASE WHEN v_gram THEN ' ORDER BY g.created_at DESC, g.case_id DESC'
                    ELSE ' ORDER BY c.created_at DESC, c.id DESC' END
            || ' LIMIT $10)'
        INTO v_ids
        USING v_no, v_idno, v_phone, v_name, p_kind, p_state, p_unit_id,
              p_from, p_to, greatest(1, least(coalesce(p_limit, 100), 500)), v_cases,
              v_people, v_sub, v_me;
    RETURN QUERY
    SELECT l.* FROM case_list l
    WHERE l.case_id = ANY (v_ids)
    ORDER BY l.created_at DESC, l.case_id DESC;
END
$$;
ALTER FUNCTION caseterm.search_cases(text, text, text, text, text, text, bigint, date, date, int)
    OWNER TO caseterm_rls;


-- ---------------------------------------------------------------- privileges

REVOKE EXECUTE ON FUNCTION caseterm.case_gram_refresh(bigint),
    caseterm.legal_case_applicant_name(), caseterm.legal_case_grams(),
    caseterm.case_party_grams(), caseterm.person_name_cases() FROM PUBLIC;
