-- 034_person_columns.sql — the application role reads persons' masked
-- numbers only.  Until now caseterm_app had SELECT on all of person, so a
-- query written in a screen (or a bug in one) could print an ID number or
-- a mobile number in full without a trace in the audit trail; 022 meant
-- the unmasked columns for person_reveal and the other functions of
-- caseterm_rls alone.  Now the database holds to that: caseterm_app may
-- read every column of person but id_number and phone (their masks,
-- id_number_masked and phone_masked, are what lists show); the full
-- values come out through person_reveal (audited), person_find (audited,
-- the intake's lookup) and the functions that run as the owner or as
-- caseterm_rls, which keeps its own grant.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

REVOKE SELECT ON caseterm.person FROM caseterm_app;
GRANT SELECT (id, name, created_at, name_grams, id_number_masked, phone_masked)
    ON caseterm.person TO caseterm_app;

-- case_parties (008) masked the full numbers itself; it reads the masks.
CREATE OR REPLACE FUNCTION caseterm.case_parties(p_case_id bigint)
    RETURNS TABLE (party_id bigint, role text, note text, person_id bigint,
                   name text, phone_masked text, id_number_masked text)
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT x.party_id, x.role, x.note, x.person_id, p.name,
           p.phone_masked, p.id_number_masked
    FROM (SELECT NULL::bigint AS party_id, 'applicant'::text AS role,
                 NULL::text AS note, c.applicant_id AS person_id, 0::bigint AS ord
          FROM legal_case c
          WHERE c.id = p_case_id AND c.applicant_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM case_party q
                            WHERE q.case_id = c.id AND q.person_id = c.applicant_id
                              AND q.role = 'applicant')
          UNION ALL
          SELECT q.id, q.role, q.note, q.person_id, q.id
          FROM case_party q
          WHERE q.case_id = p_case_id) x
    JOIN person p ON p.id = x.person_id
    ORDER BY CASE x.role WHEN 'applicant' THEN 1 WHEN 'respondent' THEN 2 ELSE 3 END,
             x.ord;
END
$$;

