-- 005_case_model.sql — what the work-order lifecycle needs to store: the
-- holder, handler, deadlines and flags of a case, its parties, links and
-- pending requests (return, extension, reply), the dispute categories, the
-- specialised mediation bodies, name search by character bigrams; the
-- visibility of a case to its handler and to the unit that dispatched or
-- transferred it; and the internal helpers the step functions
-- (007_steps.sql) share.
--
-- Applied by casetermctl migrate inside its own transaction.

-- ---------------------------------------------------------------- code tables

-- dispute_category: the categories of disputes for mediation
-- (data/dispute_categories.txt), with a stable code, the Chinese name and an
-- English name for English-speaking clerks.
CREATE TABLE caseterm.dispute_category (
    code     text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
    name     text NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 50),
    name_en  text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 100),
    sort     int NOT NULL DEFAULT 100,
    disabled boolean NOT NULL DEFAULT false
);
INSERT INTO caseterm.dispute_category (code, name, name_en, sort) VALUES
    ('marriage_family', '婚姻家庭', 'Marriage and family', 10),
    ('neighbour', '邻里', 'Neighbours', 20),
    ('housing_land', '房屋宅基地', 'Housing and homestead land', 30),
    ('contract', '合同', 'Contracts', 40),
    ('business', '生产经营', 'Production and business', 50),
    ('damages', '损害赔偿', 'Compensation for damage', 60),
    ('land_forest', '山林土地', 'Land and forests', 70),
    ('expropriation', '征地拆迁', 'Land expropriation and demolition', 80),
    ('pollution', '环境污染', 'Environmental pollution', 90),
    ('labour', '劳动争议', 'Labour disputes', 100),
    ('consumer', '消费', 'Consumer disputes', 110),
    ('medical', '医疗', 'Medical disputes', 120),
    ('traffic', '道路交通事故', 'Road traffic accidents', 130),
    ('property_mgmt', '物业', 'Property management', 140),
    ('family_planning', '计划生育', 'Family planning', 150),
    ('village_affairs', '村务管理', 'Village affairs', 160),
    ('other', '其它', 'Other', 999);

-- org_unit.specialty: what a specialised body (kind 'mediation') mediates;
-- category_specialty: which dispute categories go to which specialty (the
-- dispatch suggestions, 008_queries.sql).
ALTER TABLE caseterm.org_unit ADD COLUMN specialty text
    CHECK (specialty IN ('traffic', 'medical', 'labour', 'property', 'family',
                         'enterprise'));
CREATE TABLE caseterm.category_specialty (
    category  text PRIMARY KEY REFERENCES caseterm.dispute_category (code),
    specialty text NOT NULL
              CHECK (specialty IN ('traffic', 'medical', 'labour', 'property',
                                   'family', 'enterprise'))
);
INSERT INTO caseterm.category_specialty VALUES
    ('traffic', 'traffic'), ('medical', 'medical'), ('labour', 'labour'),
    ('property_mgmt', 'property');

-- ---------------------------------------------------------------- person search

-- The distinct two-character substrings of a name, lower-cased: the
-- search key of person.name_grams.  A name of fewer than two characters
-- has none.  A two-character query is one bigram, found through the GIN
-- index (pg_trgm has no trigram for it, DESIGN.md §3); a longer query is
-- the intersection of its bigrams, then checked with LIKE.
CREATE FUNCTION caseterm.name_bigrams(p text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT coalesce(array_agg(DISTINCT substr(s, i, 2)), '{}')
    FROM (SELECT lower(p) AS s) x, generate_series(1, char_length(x.s) - 1) i
$$;
ALTER TABLE caseterm.person ADD COLUMN name_grams text[]
    GENERATED ALWAYS AS (caseterm.name_bigrams(name)) STORED;
CREATE INDEX person_name_grams ON caseterm.person USING gin (name_grams);

-- ---------------------------------------------------------------- legal_case

-- The case as a work order.  unit_id (001) is the unit that holds the case
-- now; the step functions keep the rest:
--   intake_unit_id      the unit that registered it
--   held_units          every unit that has held it, in the order they
--                       first held it (kept by a trigger; history, not
--                       visibility)
--   handler_id          the assigned handler (a user of the holding unit or
--                       below)
--   dispatched_by_unit  the unit that last dispatched or transferred it:
--                       its supervisors decide on a return
--   deadline            the deadline for the reply (from the 'handle' rule,
--                       moved by extensions and paused time)
--   step_deadline       the deadline of the current step when it has its
--                       own (review, sign-for, follow-up)
--   due_at              the deadline that counts now (kept by a trigger):
--                       the earlier of the two; the follow-up's alone once
--                       the reply is approved; NULL when the case is over
--   deadline_paused_at  set while a return or an extension is in review;
--                       on resume the deadline moves by the working days
--                       the pause took (paused_workdays adds them up)
--   urgent              same-day deadlines (rule urgent_workdays)
--   supervised, supervised_by, supervised_at   督办 flag and its owner
--   parent_id           the case this one was sub-dispatched from
--   merged_into         the case this duplicate was merged into
--   category, place_unit_id, people_involved, amount   disputes
--   details             what only one kind has (legal aid household and
--                       income, the legal service asked for, whom a
--                       complaint is about)
--   satisfaction        the applicant's opinion at the last follow-up
--   updated_by          who made the last change (with updated_at: the
--                       "changed by X at T" of a version conflict)
ALTER TABLE caseterm.legal_case
    ADD COLUMN intake_unit_id bigint REFERENCES caseterm.org_unit (id),
    ADD COLUMN held_units bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN handler_id bigint REFERENCES caseterm.app_user (id),
    ADD COLUMN dispatched_by_unit bigint REFERENCES caseterm.org_unit (id),
    ADD COLUMN dispatched_at timestamptz,
    ADD COLUMN signed_at timestamptz,
    ADD COLUMN deadline timestamptz,
    ADD COLUMN step_deadline timestamptz,
    ADD COLUMN due_at timestamptz,
    ADD COLUMN deadline_paused_at timestamptz,
    ADD COLUMN paused_workdays int NOT NULL DEFAULT 0 CHECK (paused_workdays >= 0),
    ADD COLUMN urgent boolean NOT NULL DEFAULT false,
    ADD COLUMN supervised boolean NOT NULL DEFAULT false,
    ADD COLUMN supervised_by bigint REFERENCES caseterm.app_user (id),
    ADD COLUMN supervised_at timestamptz,
    ADD COLUMN parent_id bigint REFERENCES caseterm.legal_case (id),
    ADD COLUMN merged_into bigint REFERENCES caseterm.legal_case (id),
    ADD COLUMN category text REFERENCES caseterm.dispute_category (code),
    ADD COLUMN place_unit_id bigint REFERENCES caseterm.org_unit (id),
    ADD COLUMN people_involved int CHECK (people_involved BETWEEN 1 AND 100000),
    ADD COLUMN amount numeric(14, 2) CHECK (amount >= 0),
    ADD COLUMN details jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN satisfaction text
        CHECK (satisfaction IN ('satisfied', 'basically', 'unsatisfied')),
    ADD COLUMN replied_at timestamptz,
    ADD COLUMN closed_at timestamptz,
    ADD COLUMN reopen_count int NOT NULL DEFAULT 0 CHECK (reopen_count >= 0),
    ADD COLUMN updated_by bigint REFERENCES caseterm.app_user (id),
    ADD CONSTRAINT legal_case_not_own_parent CHECK (parent_id <> id AND merged_into <> id),
    ADD CONSTRAINT legal_case_merged CHECK ((state = 'merged') = (merged_into IS NOT NULL));

-- Cases registered before this migration: their intake unit and holders.
UPDATE caseterm.legal_case SET intake_unit_id = unit_id, held_units = ARRAY[unit_id]
    WHERE intake_unit_id IS NULL;

CREATE INDEX legal_case_unit_state ON caseterm.legal_case (unit_id, state);
CREATE INDEX legal_case_handler ON caseterm.legal_case (handler_id, state)
    WHERE handler_id IS NOT NULL;
CREATE INDEX legal_case_open_state ON caseterm.legal_case (state, unit_id)
    WHERE state IN ('registered', 'accepted', 'return_review', 'extension_review',
                    'reply_review', 'awaiting_followup');
CREATE INDEX legal_case_due ON caseterm.legal_case (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX legal_case_state_due ON caseterm.legal_case (state, due_at, id);
CREATE INDEX legal_case_supervised ON caseterm.legal_case (supervised_by) WHERE supervised;
CREATE INDEX legal_case_followup ON caseterm.legal_case (intake_unit_id)
    WHERE state = 'awaiting_followup';
CREATE INDEX legal_case_parent ON caseterm.legal_case (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX legal_case_merged_into ON caseterm.legal_case (merged_into)
    WHERE merged_into IS NOT NULL;

-- case_event.reason: the reason a clerk gave for the step (return, reject,
-- transfer, extension, urge, ...); the rest of what changed is in detail.
ALTER TABLE caseterm.case_event
    ADD COLUMN reason text CHECK (char_length(reason) <= 2000);

-- true for the states in which a case is over.
CREATE FUNCTION caseterm.state_is_final(p_state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT p_state IN ('closed', 'merged', 'rejected') $$;

-- The deadline that counts in a state (see legal_case.due_at).
CREATE FUNCTION caseterm.case_due(p_state text, p_deadline timestamptz,
                                  p_step_deadline timestamptz)
    RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN p_state IN ('closed', 'merged', 'rejected', 'draft') THEN NULL
        WHEN p_state = 'awaiting_followup' THEN p_step_deadline
        ELSE least(p_deadline, p_step_deadline) END
$$;

-- legal_case bookkeeping for the lifecycle: on insert, the intake unit and
-- the deadlines of the kind's rules (the reply deadline, and the review
-- deadline of a registered case) unless the insert gave them; always, the
-- holder joins held_units and due_at is recomputed.
CREATE FUNCTION caseterm.legal_case_track() RETURNS trigger
    LANGUAGE plpgsql SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.intake_unit_id := coalesce(NEW.intake_unit_id, NEW.unit_id);
        IF NEW.deadline IS NULL AND NOT state_is_final(NEW.state) THEN
            NEW.deadline := rule_deadline(NEW.created_at, NEW.kind, 'handle', NEW.urgent);
        END IF;
        IF NEW.step_deadline IS NULL AND NEW.state = 'registered' THEN
            NEW.step_deadline := rule_deadline(NEW.created_at, NEW.kind, 'review', NEW.urgent);
        END IF;
    END IF;
    IF NOT (NEW.unit_id = ANY (NEW.held_units)) THEN
        NEW.held_units := NEW.held_units || NEW.unit_id;
    END IF;
    NEW.due_at := case_due(NEW.state, NEW.deadline, NEW.step_deadline);
    RETURN NEW;
END
$$;
CREATE TRIGGER legal_case_track BEFORE INSERT OR UPDATE ON caseterm.legal_case
    FOR EACH ROW EXECUTE FUNCTION caseterm.legal_case_track();

-- ---------------------------------------------------------------- parties, links, requests

-- case_party: the parties of a case (disputes: applicants, respondents and
-- others, with the role in words in `note`, e.g. 第三人, 证人).  The
-- applicant of any kind is also legal_case.applicant_id.
CREATE TABLE caseterm.case_party (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id   bigint NOT NULL REFERENCES caseterm.legal_case (id),
    person_id bigint NOT NULL REFERENCES caseterm.person (id),
    role      text NOT NULL CHECK (role IN ('applicant', 'respondent', 'other')),
    note      text CHECK (char_length(note) <= 200),
    added_by  bigint NOT NULL REFERENCES caseterm.app_user (id),
    added_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (case_id, person_id, role)
);
CREATE INDEX case_party_person ON caseterm.case_party (person_id, role);

-- case_link: two related cases (case_a < case_b).
CREATE TABLE caseterm.case_link (
    case_a     bigint NOT NULL REFERENCES caseterm.legal_case (id),
    case_b     bigint NOT NULL REFERENCES caseterm.legal_case (id),
    created_by bigint NOT NULL REFERENCES caseterm.app_user (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_a, case_b),
    CHECK (case_a < case_b)
);
CREATE INDEX case_link_b ON caseterm.case_link (case_b);

-- case_request: a return, an extension or a reply awaiting a supervisor's
-- decision, and the decision.  At most one undecided request per case.
CREATE TABLE caseterm.case_request (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         bigint NOT NULL REFERENCES caseterm.legal_case (id),
    kind            text NOT NULL CHECK (kind IN ('return', 'extension', 'reply')),
    requested_by    bigint NOT NULL REFERENCES caseterm.app_user (id),
    requested_unit  bigint NOT NULL REFERENCES caseterm.org_unit (id),
    requested_at    timestamptz NOT NULL DEFAULT now(),
    reason          text CHECK (char_length(reason) <= 2000),
    days            int CHECK (days BETWEEN 1 AND 250),
    reply           text CHECK (char_length(reply) <= 10000),
    decided_by      bigint REFERENCES caseterm.app_user (id),
    decided_at      timestamptz,
    approved        boolean,
    granted_days    int CHECK (granted_days BETWEEN 1 AND 250),
    decision_reason text CHECK (char_length(decision_reason) <= 2000),
    CHECK ((decided_at IS NULL) = (approved IS NULL)),
    CHECK (kind <> 'extension' OR days IS NOT NULL),
    CHECK (kind <> 'reply' OR reply IS NOT NULL)
);
CREATE UNIQUE INDEX case_request_open ON caseterm.case_request (case_id)
    WHERE decided_at IS NULL;

-- ---------------------------------------------------------------- row-level security

-- Besides the holding unit's subtree and the author (001_core.sql), a case
-- is visible to its assigned handler (a mediator of a village below the
-- holding town), and to the unit that last dispatched or transferred it
-- and the units above that one (they decide on a return, and follow what
-- they sent away).  A unit that merely held the case before does not keep
-- seeing it.
CREATE POLICY legal_case_involved ON caseterm.legal_case
    FOR SELECT TO caseterm_app
    USING (
        handler_id = (SELECT caseterm.acting_user_id())
        OR EXISTS (SELECT 1 FROM caseterm.org_unit o
                   WHERE o.id = legal_case.dispatched_by_unit
                     AND o.path @> ARRAY[(SELECT caseterm.acting_unit_id())])
    );

-- A person is also visible as a party of a visible case.
CREATE POLICY person_party_visible ON caseterm.person
    FOR SELECT TO caseterm_app
    USING (EXISTS (SELECT 1 FROM caseterm.case_party p
                   WHERE p.person_id = person.id));

-- Parties and requests: visible with their case; a link when both cases are.
ALTER TABLE caseterm.case_party ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_party_visible ON caseterm.case_party
    FOR SELECT TO caseterm_app
    USING (EXISTS (SELECT 1 FROM caseterm.legal_case c WHERE c.id = case_party.case_id));
ALTER TABLE caseterm.case_request ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_request_visible ON caseterm.case_request
    FOR SELECT TO caseterm_app
    USING (EXISTS (SELECT 1 FROM caseterm.legal_case c WHERE c.id = case_request.case_id));
ALTER TABLE caseterm.case_link ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_link_visible ON caseterm.case_link
    FOR SELECT TO caseterm_app
    USING (EXISTS (SELECT 1 FROM caseterm.legal_case c WHERE c.id = case_link.case_a)
           AND EXISTS (SELECT 1 FROM caseterm.legal_case c WHERE c.id = case_link.case_b));

GRANT SELECT ON caseterm.dispute_category, caseterm.category_specialty,
    caseterm.case_party, caseterm.case_link, caseterm.case_request
    TO caseterm_app;

-- ---------------------------------------------------------------- internal helpers
-- Used by the SECURITY DEFINER functions of 006-008; none is executable by
-- the application.

-- true when the unit and every unit above it are enabled.
CREATE FUNCTION caseterm.unit_active(p_unit bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    RETURN coalesce((SELECT NOT EXISTS (SELECT 1 FROM org_unit a
                                        WHERE a.id = ANY (o.path) AND a.disabled)
                     FROM org_unit o WHERE o.id = p_unit), false);
END
$$;

-- true when p_unit is p_scope or below it (p_scope's jurisdiction).
CREATE FUNCTION caseterm.unit_in_scope(p_unit bigint, p_scope bigint)
    RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    RETURN coalesce((SELECT o.path @> ARRAY[p_scope] FROM org_unit o
                     WHERE o.id = p_unit), false);
END
$$;

-- true when the acting user sees the case: the same rule as the row-level
-- security policies on legal_case (legal_case_visible in 001_core.sql,
-- legal_case_involved above), for functions that bypass them.
CREATE FUNCTION caseterm.case_visible(p_case_id bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_uid  bigint := acting_user_id();
    v_unit bigint := acting_unit_id();
BEGIN
    IF v_uid IS NULL THEN
        RETURN false;
    END IF;
    RETURN coalesce((
        SELECT unit_in_scope(c.unit_id, v_unit)
               OR c.created_by = v_uid OR c.handler_id = v_uid
               OR unit_in_scope(c.dispatched_by_unit, v_unit)
        FROM legal_case c WHERE c.id = p_case_id), false);
END
$$;

-- The case to take a step on, locked: raises P0002 'no such case' when it
-- does not exist or the acting user cannot see it, and 40001 when
-- p_version (not NULL) is not its version: someone else changed it since
-- the clerk loaded it.  DETAIL names who and when, language-neutral:
-- "王芳 2026-10-09 10:23".
CREATE FUNCTION caseterm.case_for_step(p_case_id bigint, p_version int)
    RETURNS caseterm.legal_case
    LANGUAGE plpgsql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    c legal_case;
    v_who text;
BEGIN
    SELECT * INTO c FROM legal_case WHERE id = p_case_id FOR UPDATE;
    IF NOT FOUND OR NOT case_visible(p_case_id) THEN
        RAISE EXCEPTION 'no such case' USING ERRCODE = 'P0002';
    END IF;
    IF p_version IS NOT NULL AND p_version <> c.version THEN
        SELECT u.display_name INTO v_who FROM app_user u
            WHERE u.id = coalesce(c.updated_by, c.created_by);
        RAISE EXCEPTION 'the case was changed by someone else; reload it'
            USING ERRCODE = '40001',
                  DETAIL = coalesce(v_who, '?') || ' '
                           || to_char(c.updated_at AT TIME ZONE 'Asia/Shanghai',
                                      'YYYY-MM-DD HH24:MI'),
                  HINT = 'version ' || c.version;
    END IF;
    RETURN c;
END
$$;

-- case_for_step for a step that changes the case: the version is
-- required (22023 COLUMN version), so that a conflict is never missed.
CREATE FUNCTION caseterm.case_for_change(p_case_id bigint, p_version int)
    RETURNS caseterm.legal_case
    LANGUAGE plpgsql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF p_version IS NULL THEN
        RAISE EXCEPTION 'the version of the case is required'
            USING ERRCODE = '22023', COLUMN = 'version';
    END IF;
    RETURN case_for_step(p_case_id, p_version);
END
$$;

-- Record a step: the case_event (by the acting user, at the acting user's
-- unit, from the case's state to p_to_state — NULL when the state does not
-- change — with the reason and detail) and the audit row 'case_<step>'.
-- Returns the event id.
CREATE FUNCTION caseterm.case_record(p_case caseterm.legal_case, p_step text,
                                     p_to_state text, p_reason text,
                                     p_detail jsonb DEFAULT '{}')
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO case_event (case_id, user_id, unit_id, kind, from_state,
                            to_state, reason, detail)
        VALUES (p_case.id, acting_user_id(), acting_unit_id(), p_step,
                CASE WHEN p_to_state IS NOT NULL THEN p_case.state END,
                p_to_state, p_reason, coalesce(p_detail, '{}'))
        RETURNING id INTO v_id;
    PERFORM audit_write(left('case_' || p_step, 32), 'legal_case:' || p_case.id,
                        jsonb_build_object('case_no', p_case.case_no,
                                           'from', p_case.state, 'to', p_to_state,
                                           'event_id', v_id)
                        || coalesce(p_detail, '{}'));
    RETURN v_id;
END
$$;

-- The reply deadline after a paused clock resumes now: moved by the
-- working days the pause took (workdays_between).  Returns the new
-- deadline and the working days added.
CREATE FUNCTION caseterm.case_resumed_deadline(p_case caseterm.legal_case,
                                               OUT deadline timestamptz,
                                               OUT shift int)
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    shift := greatest(coalesce(workdays_between(p_case.deadline_paused_at, now()), 0), 0);
    deadline := p_case.deadline;
    IF deadline IS NOT NULL AND shift > 0 THEN
        deadline := add_workdays(deadline, shift);
    END IF;
END
$$;

-- Raise 22023 with a message for the form field p_column; DETAIL = the
-- party's number when p_party is given.  The messages passed in are the
-- literals of register_consultation (003_cases.sql) or idcard_problem,
-- already in the message catalogue.
CREATE FUNCTION caseterm.raise_input(p_message text, p_column text, p_party int)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF p_party IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = p_message, ERRCODE = '22023', COLUMN = p_column;
    END IF;
    RAISE EXCEPTION USING MESSAGE = p_message, ERRCODE = '22023', COLUMN = p_column,
        DETAIL = p_party::text;
END
$$;

-- Find or create a person from what a clerk typed, with the rules and
-- messages of register_consultation (003_cases.sql): by ID number, else by
-- name + phone (when the person has no other ID number), else a new
-- person; a found person's missing phone or ID number is filled in; an ID
-- number registered under another name is refused.  p_party (1-based)
-- names the party in the DETAIL of an error (NULL: the applicant).
-- Errors 22023 with COLUMN = name | phone | id_number.
CREATE FUNCTION caseterm.person_resolve(p_name text, p_phone text,
                                        p_id_number text, p_party int DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_name    text := clean_text(p_name);
    v_phone   text := clean_text(p_phone);
    v_idno    text := upper(clean_text(p_id_number));
    v_person  bigint;
    v_p_name  text;
    v_new     boolean := false;
BEGIN
    IF v_name IS NULL THEN
        PERFORM raise_input('name is required', 'name', p_party);
    END IF;
    IF char_length(v_name) > 50 THEN
        PERFORM raise_input('name must be at most 50 characters', 'name', p_party);
    END IF;
    IF v_phone IS NOT NULL THEN
        v_phone := phone_normalize(v_phone);
        IF v_phone IS NULL THEN
            PERFORM raise_input('mobile number must be 11 digits starting with 1',
                                'phone', p_party);
        END IF;
    END IF;
    IF v_idno IS NOT NULL AND idcard_problem(v_idno) IS NOT NULL THEN
        PERFORM raise_input(idcard_problem(v_idno), 'id_number', p_party);
    END IF;

    IF v_phone IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(
            hashtextextended('caseterm.person|' || v_name || '|' || v_phone, 0));
    END IF;
    IF v_idno IS NOT NULL THEN
        SELECT id, name INTO v_person, v_p_name
            FROM person WHERE id_number = v_idno FOR UPDATE;
        IF FOUND AND v_p_name <> v_name THEN
            PERFORM raise_input('this ID number is already registered under another name',
                                'id_number', p_party);
        END IF;
    END IF;
    IF v_person IS NULL AND v_phone IS NOT NULL THEN
        SELECT id INTO v_person
            FROM person
            WHERE name = v_name AND phone = v_phone
              AND (id_number IS NULL OR v_idno IS NULL)
            ORDER BY (id_number IS NOT NULL) DESC, id
            LIMIT 1
            FOR UPDATE;
    END IF;
    IF v_person IS NULL THEN
        INSERT INTO person (name, id_number, phone)
            VALUES (v_name, v_idno, v_phone)
            ON CONFLICT (id_number) DO NOTHING
            RETURNING id INTO v_person;
        IF v_person IS NULL THEN
            SELECT id, name INTO v_person, v_p_name
                FROM person WHERE id_number = v_idno FOR UPDATE;
            IF v_p_name <> v_name THEN
                PERFORM raise_input('this ID number is already registered under another name',
                                    'id_number', p_party);
            END IF;
        ELSE
            v_new := true;
        END IF;
    END IF;
    IF NOT v_new THEN
        UPDATE person
           SET phone = coalesce(phone, v_phone),
               id_number = coalesce(id_number, v_idno)
         WHERE id = v_person
           AND ((phone IS NULL AND v_phone IS NOT NULL)
                OR (id_number IS NULL AND v_idno IS NOT NULL));
    END IF;
    RETURN v_person;
END
$$;

REVOKE EXECUTE ON FUNCTION caseterm.legal_case_track(),
    caseterm.unit_active(bigint), caseterm.unit_in_scope(bigint, bigint),
    caseterm.case_visible(bigint), caseterm.case_for_step(bigint, int),
    caseterm.case_for_change(bigint, int),
    caseterm.case_record(caseterm.legal_case, text, text, text, jsonb),
    caseterm.case_resumed_deadline(caseterm.legal_case),
    caseterm.raise_input(text, text, int),
    caseterm.person_resolve(text, text, text, int)
    FROM PUBLIC;
