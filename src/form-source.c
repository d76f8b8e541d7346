/*
 * form-source.c — named code tables a form file may draw a choice from
 * (source = "org_units").  A form file only names a source; the query is
 * fixed here, parameterised, and run as the acting user, so row-level
 * security applies and no SQL ever comes from a form file.  Each source
 * returns rows (code, label, depth); depth > 0 makes the pick list a tree.
 */
#include <stdlib.h>
#include <string.h>

#include "form.h"

static const struct form_source {
	const char	*name;
	bool		 tree;
	const char	*sql;		/* $1: the clerk's language */
} form_sources[] = {
	/* The whole org tree, root first, each unit under its parent. */
	{ "org_units", true,
	  "SELECT code, name, cardinality(path) - 1 FROM caseterm.org_unit "
	  "WHERE NOT disabled AND $1::text IS NOT NULL ORDER BY path" },
	/* The acting user's unit and the units below it. */
	{ "my_units", true,
	  "SELECT o.code, o.name, cardinality(o.path) - cardinality(u.path) "
	  "FROM caseterm.org_unit o, caseterm.org_unit u "
	  "WHERE u.id = caseterm.acting_unit_id() AND o.path @> ARRAY[u.id] "
	  "AND NOT o.disabled AND $1::text IS NOT NULL ORDER BY o.path" },
	/* Handlers (mediators, legal aid officers...) in the acting user's
	 * subtree, for assigning a case. */
	{ "handlers", false,
	  "SELECT h.login, h.display_name || ' (' || o.name || ')', 0 "
	  "FROM caseterm.app_user h JOIN caseterm.org_unit o ON o.id = h.unit_id, "
	  "caseterm.org_unit u WHERE u.id = caseterm.acting_unit_id() "
	  "AND o.path @> ARRAY[u.id] AND 'handler' = ANY (h.roles) "
	  "AND NOT h.disabled AND $1::text IS NOT NULL ORDER BY o.path, h.login" },
	/* How a request came in (code_table, 021_admin.sql). */
	{ "channels", false,
	  "SELECT code, CASE WHEN $1 = 'en' THEN coalesce(label_en, label) "
	  "ELSE label END, 0 FROM caseterm.code_table WHERE kind = 'channel' "
	  "AND NOT disabled ORDER BY sort, code" },
	/* Texts a text field's F4 adds (039_knowledge.sql), by their titles
	 * (a fourth column: the text). */
	{ "knowledge", false,
	  "SELECT title, title, 0, body FROM caseterm.kb_search(NULL) "
	  "WHERE NOT disabled AND $1::text IS NOT NULL" },
	/* Dispute categories (005_case_model.sql), named in the language. */
	{ "dispute_categories", false,
	  "SELECT code, CASE WHEN $1 = 'en' THEN name_en ELSE name END, 0 "
	  "FROM caseterm.dispute_category WHERE NOT disabled "
	  "ORDER BY sort, code" },
};

static const struct form_source *
form_source_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof form_sources / sizeof form_sources[0]; i++)
		if (strcmp(form_sources[i].name, name) == 0)
			return &form_sources[i];
	return NULL;
}

/* Whether name is a source; tree: whether an org unit field may use it. */
bool
form_source_known(const char *name, bool tree)
{
	const struct form_source *s = form_source_find(name);

	return s != NULL && (!tree || s->tree);
}

int
form_source_load(struct db *db, const char *name, const char *lang,
    struct choices *out, char **cause)
{
	const struct form_source	*s = form_source_find(name);
	PGresult			*res;
	int				 i, n;

	memset(out, 0, sizeof *out);
	if (s == NULL) {
		xasprintf(cause, "unknown source '%s'", name);
		return -1;
	}
	if ((res = db_call(db, s->sql, 1, &lang, cause)) == NULL)
		return -1;
	n = PQntuples(res);
	out->v = xcalloc((size_t)n + 1, sizeof *out->v);
	for (i = 0; i < n; i++) {
		out->v[i].code = xstrdup(PQgetvalue(res, i, 0));
		out->v[i].label = xstrdup(PQgetvalue(res, i, 1));
		out->v[i].depth = atoi(PQgetvalue(res, i, 2));
		if (PQnfields(res) > 3)
			out->v[i].text = xstrdup(PQgetvalue(res, i, 3));
	}
	out->n = (size_t)n;
	PQclear(res);
	return 0;
}
