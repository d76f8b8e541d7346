-- 036_dispute_categories.sql — dispute categories are a code table an
-- administrator keeps, like channels and case kinds.  They live in
-- dispute_category (005: the mediation form's list, the case's category,
-- the specialised committees of category_specialty), but code_save (021)
-- wrote every table into code_table, so `casetermctl codes import
-- dispute_category data/dispute_categories.txt` filled a list nothing read.
-- Now the code-table functions take the kind 'dispute_category' to
-- dispute_category itself:
--
--   code_save(kind, code, label, sort, label_en)   for dispute_category:
--        add a category or rename one (its English name: the label when
--        none is given).  p_code NULL: the category of that name, or a
--        new code made from the name (cat_ and 8 hex digits); a code is
--        lower-case letters, digits and underscores (005's check);
--   code_set_disabled   disable (no longer offered; old cases keep it) or
--        enable a category;
--   code_list(kind)     the codes of one table for the screens and
--        casetermctl: code, label, label_en, sort, disabled;
--
-- the other kinds as before (code_table_save, code_table_set_disabled:
-- 021's functions under new names).  Changes to dispute_category are
-- audited like those of code_table.  Rows that an import left in
-- code_table under 'dispute_category' become categories here.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

ALTER FUNCTION caseterm.code_save(text, text, text, int, text)
    RENAME TO code_table_save;
ALTER FUNCTION caseterm.code_set_disabled(text, text, boolean)
    RENAME TO code_table_set_disabled;
REVOKE EXECUTE ON FUNCTION caseterm.code_table_save(text, text, text, int, text),
    caseterm.code_table_set_disabled(text, text, boolean) FROM caseterm_app;

CREATE TRIGGER dispute_category_audit
    AFTER INSERT OR UPDATE OR DELETE ON caseterm.dispute_category
    FOR EACH ROW EXECUTE FUNCTION caseterm.audit_row_change('code');
ALTER TABLE caseterm.dispute_category ENABLE ALWAYS TRIGGER dispute_category_audit;

-- Add or rename a dispute category (see the head of this file).
CREATE FUNCTION caseterm.dispute_category_save(p_code text, p_label text,
                                               p_sort int, p_label_en text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'code_save'
AS $$
DECLARE
    v_code  text := lower(clean_text(p_code));
    v_label text := clean_text(p_label);
    v_en    text := clean_text(p_label_en);
    v_row   dispute_category;
BEGIN
    PERFORM require_city_admin();
    IF v_label IS NULL THEN
        RAISE EXCEPTION 'label is required' USING ERRCODE = '22023', COLUMN = 'label';
    END IF;
    IF char_length(v_label) > 50 OR char_length(v_en) > 100 THEN
        RAISE EXCEPTION 'a category''s name is at most 50 characters'
            USING ERRCODE = '22023', COLUMN = 'label';
    END IF;
    IF v_code IS NULL THEN
        v_code := coalesce((SELECT d.code FROM dispute_category d WHERE d.name = v_label),
                           'cat_' || left(md5(v_label), 8));
    END IF;
    IF v_code !~ '^[a-z][a-z0-9_]{0,31}$' THEN
        RAISE EXCEPTION 'a category''s code is lower-case letters, digits and underscores'
            USING ERRCODE = '22023', COLUMN = 'code';
    END IF;
    IF EXISTS (SELECT 1 FROM dispute_category d WHERE d.name = v_label AND d.code <> v_code) THEN
        RAISE EXCEPTION 'another category has this name'
            USING ERRCODE = '22023', COLUMN = 'label';
    END IF;
    SELECT * INTO v_row FROM dispute_category WHERE code = v_code FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO dispute_category (code, name, name_en, sort)
            VALUES (v_code, v_label, coalesce(v_en, v_label),
                    coalesce(p_sort, (SELECT coalesce(max(sort), 0) + 10
                                      FROM dispute_category)));
        RETURN 'added';
    END IF;
    IF v_row.name = v_label AND v_row.name_en = coalesce(v_en, v_row.name_en)
       AND v_row.sort = coalesce(p_sort, v_row.sort) THEN
        RETURN 'unchanged';
    END IF;
    UPDATE dispute_category SET name = v_label, name_en = coalesce(v_en, v_row.name_en),
                                sort = coalesce(p_sort, v_row.sort)
     WHERE code = v_code;
    RETURN 'updated';
END
$$;

CREATE FUNCTION caseterm.code_save(p_kind text, p_code text, p_label text,
                                   p_sort int DEFAULT NULL,
                                   p_label_en text DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF lower(clean_text(p_kind)) = 'dispute_category' THEN
        RETURN dispute_category_save(p_code, p_label, p_sort, p_label_en);
    END IF;
    RETURN code_table_save(p_kind, p_code, p_label, p_sort, p_label_en);
END
$$;

CREATE FUNCTION caseterm.code_set_disabled(p_kind text, p_code text,
                                           p_disabled boolean)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = ''
AS $$
BEGIN
    IF lower(clean_text(p_kind)) IS DISTINCT FROM 'dispute_category' THEN
        PERFORM code_table_set_disabled(p_kind, p_code, p_disabled);
        RETURN;
    END IF;
    PERFORM require_city_admin();
    PERFORM set_config('caseterm.audit_action',
                       CASE WHEN p_disabled THEN 'code_disable' ELSE 'code_enable' END,
                       true);
    UPDATE dispute_category SET disabled = coalesce(p_disabled, disabled)
     WHERE code = lower(clean_text(p_code));
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such code' USING ERRCODE = '22023', COLUMN = 'code';
    END IF;
END
$$;

-- The codes of one table, in their order.
CREATE FUNCTION caseterm.code_list(p_kind text)
    RETURNS TABLE (code text, label text, label_en text, sort int, disabled boolean)
    LANGUAGE sql STABLE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT d.code, d.name, d.name_en, d.sort, d.disabled
      FROM dispute_category d
     WHERE lower(p_kind) = 'dispute_category'
    UNION ALL
    SELECT c.code, c.label, c.label_en, c.sort, c.disabled
      FROM code_table c
     WHERE c.kind = lower(p_kind) AND lower(p_kind) <> 'dispute_category'
    ORDER BY 4, 1
$$;

-- What an import left in code_table under 'dispute_category'.
DO $$
DECLARE
    r record;
BEGIN
    PERFORM set_config('caseterm.audit_action', 'code_save', true);
    FOR r IN SELECT c.label, c.label_en, c.sort FROM caseterm.code_table c
              WHERE c.kind = 'dispute_category'
                AND NOT EXISTS (SELECT 1 FROM caseterm.dispute_category d
                                WHERE d.name = c.label)
                AND char_length(c.label) <= 50
              ORDER BY c.sort, c.code LOOP
        INSERT INTO caseterm.dispute_category (code, name, name_en, sort)
            VALUES ('cat_' || left(md5(r.label), 8), r.label,
                    coalesce(r.label_en, r.label), r.sort)
            ON CONFLICT DO NOTHING;
    END LOOP;
END
$$;

REVOKE EXECUTE ON FUNCTION
    caseterm.dispute_category_save(text, text, int, text),
    caseterm.code_save(text, text, text, int, text),
    caseterm.code_set_disabled(text, text, boolean),
    caseterm.code_list(text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    caseterm.code_save(text, text, text, int, text),
    caseterm.code_set_disabled(text, text, boolean),
    caseterm.code_list(text)
    TO caseterm_app;
