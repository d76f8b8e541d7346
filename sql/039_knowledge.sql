-- 039_knowledge.sql — the knowledge base (知识库): answers to the
-- questions the hotline and the stations hear most (wages owed, a traffic
-- accident, a divorce, legal aid ...), for every clerk to read, and for
-- the consultation form's answer (F4 inserts one).  Supervisors and
-- administrators keep it.  No personal data: every clerk reads every
-- article.
--
--   kb_article        title (1..100, unique), body (1..2000), topic (a
--                     dispute category, optional), disabled
--   kb_save(id, title, body, topic)   add (id NULL) or change an article;
--                     returns its id; roles supervisor or admin; audited
--                     (kb_save) with before and after
--   kb_set_disabled(id, disabled)     withdraw or restore one
--   kb_search(query)  the articles whose title or body holds every word of
--                     query (NULL: all), title order, at most 200
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

CREATE TABLE caseterm.kb_article (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title       text NOT NULL UNIQUE CHECK (char_length(title) BETWEEN 1 AND 100),
    body        text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
    topic       text REFERENCES caseterm.dispute_category (code),
    disabled    boolean NOT NULL DEFAULT false,
    updated_by  bigint REFERENCES caseterm.app_user (id),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON caseterm.kb_article TO caseterm_app;

CREATE TRIGGER kb_article_audit
    AFTER INSERT OR UPDATE OR DELETE ON caseterm.kb_article
    FOR EACH ROW EXECUTE FUNCTION caseterm.audit_row_change('id', '=title');
ALTER TABLE caseterm.kb_article ENABLE ALWAYS TRIGGER kb_article_audit;

CREATE FUNCTION caseterm.kb_save(p_id bigint, p_title text, p_body text,
                                 p_topic text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'kb_save'
AS $$
DECLARE
    v_user  bigint;
    v_title text := clean_text(p_title);
    v_body  text := nullif(btrim(p_body, E' \t\r\n'), '');
    v_topic text := lower(clean_text(p_topic));
    v_id    bigint;
BEGIN
    IF NOT operator_session() THEN
        v_user := require_role(NULL);
        IF NOT (SELECT roles && ARRAY['supervisor', 'admin'] FROM app_user WHERE id = v_user) THEN
            RAISE EXCEPTION 'not allowed: supervisors and administrators keep the knowledge base'
                USING ERRCODE = '42501';
        END IF;
    END IF;
    IF v_title IS NULL THEN
        RAISE EXCEPTION 'the title is required' USING ERRCODE = '22023', COLUMN = 'title';
    END IF;
    IF char_length(v_title) > 100 THEN
        RAISE EXCEPTION 'the title must be at most 100 characters'
            USING ERRCODE = '22023', COLUMN = 'title';
    END IF;
    IF v_body IS NULL THEN
        RAISE EXCEPTION 'the text is required' USING ERRCODE = '22023', COLUMN = 'body';
    END IF;
    IF char_length(v_body) > 2000 THEN
        RAISE EXCEPTION 'the text must be at most 2000 characters'
            USING ERRCODE = '22023', COLUMN = 'body';
    END IF;
    IF v_topic IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dispute_category WHERE code = v_topic) THEN
        RAISE EXCEPTION 'unknown dispute category' USING ERRCODE = '22023', COLUMN = 'topic';
    END IF;
    IF EXISTS (SELECT 1 FROM kb_article a WHERE a.title = v_title
                AND a.id IS DISTINCT FROM p_id) THEN
        RAISE EXCEPTION 'another article has this title'
            USING ERRCODE = '22023', COLUMN = 'title';
    END IF;
    IF p_id IS NULL THEN
        INSERT INTO kb_article (title, body, topic, updated_by)
            VALUES (v_title, v_body, v_topic, v_user)
            RETURNING id INTO v_id;
        RETURN v_id;
    END IF;
    UPDATE kb_article SET title = v_title, body = v_body, topic = v_topic,
                          updated_by = v_user, updated_at = now()
     WHERE id = p_id
       AND (title, body, topic) IS DISTINCT FROM (v_title, v_body, v_topic)
    RETURNING id INTO v_id;
    IF v_id IS NULL AND NOT EXISTS (SELECT 1 FROM kb_article WHERE id = p_id) THEN
        RAISE EXCEPTION 'no such article' USING ERRCODE = '22023', COLUMN = 'id';
    END IF;
    RETURN p_id;
END
$$;

CREATE FUNCTION caseterm.kb_set_disabled(p_id bigint, p_disabled boolean)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'kb_save'
AS $$
DECLARE
    v_user bigint := require_role(NULL);
BEGIN
    IF NOT (SELECT roles && ARRAY['supervisor', 'admin'] FROM app_user WHERE id = v_user) THEN
        RAISE EXCEPTION 'not allowed: supervisors and administrators keep the knowledge base'
            USING ERRCODE = '42501';
    END IF;
    UPDATE kb_article SET disabled = coalesce(p_disabled, disabled),
                          updated_by = v_user, updated_at = now()
     WHERE id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such article' USING ERRCODE = '22023', COLUMN = 'id';
    END IF;
END
$$;

CREATE FUNCTION caseterm.kb_search(p_query text DEFAULT NULL)
    RETURNS TABLE (id bigint, title text, body text, topic_name text,
                   disabled boolean, updated_at timestamptz)
    LANGUAGE sql STABLE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT a.id, a.title, a.body, d.name, a.disabled, a.updated_at
      FROM kb_article a
      LEFT JOIN dispute_category d ON d.code = a.topic
     WHERE NOT EXISTS (
            SELECT 1 FROM regexp_split_to_table(coalesce(clean_text(p_query), ''), '\s+') w
             WHERE w <> '' AND strpos(a.title || ' ' || a.body, w) = 0)
     ORDER BY a.disabled, a.title
     LIMIT 200
$$;

REVOKE EXECUTE ON FUNCTION caseterm.kb_save(bigint, text, text, text),
    caseterm.kb_set_disabled(bigint, boolean), caseterm.kb_search(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.kb_save(bigint, text, text, text),
    caseterm.kb_set_disabled(bigint, boolean), caseterm.kb_search(text) TO caseterm_app;
