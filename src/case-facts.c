/*
 * case-facts.c — the facts of a case on the case screen, under its
 * subject: a dispute's category, place, people and amount, and what the
 * intake form of its kind kept in legal_case.details (the legal aid
 * household, the service asked for, when a dispute began and came in, why
 * it is urgent, the applicant's special groups), each with its label, on
 * as many lines as they need (at most CASE_FACT_LINES).
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define CASE_FACT_LINES	3

/* k, v, list: every fact that is there, in a fixed order; a list (of
 * codes) as a,b,c. */
#define FACTS_SQL "SELECT f.k, f.v, f.list FROM caseterm.case_detail(" \
	"$1::bigint) d " \
	"CROSS JOIN LATERAL (SELECT 0, 'category', CASE WHEN $2 = 'en' " \
	"THEN d.category_name_en ELSE d.category_name END, false UNION ALL " \
	"SELECT 1, 'place', d.place_unit_name, false UNION ALL " \
	"SELECT 2, 'people_involved', d.people_involved::text, false " \
	"UNION ALL SELECT 3, 'amount', to_char(d.amount, " \
	"'FM999,999,999,990.00'), false UNION ALL SELECT 4, e.key, CASE " \
	"jsonb_typeof(e.value) WHEN 'array' THEN (SELECT string_agg(x, ',') " \
	"FROM jsonb_array_elements_text(e.value) x) ELSE e.value #>> '{}' " \
	"END, jsonb_typeof(e.value) = 'array' FROM jsonb_each(d.details) e) " \
	"f(o, k, v, list) WHERE f.v IS NOT NULL AND f.v <> '' " \
	"ORDER BY f.o, f.k"

static const struct code_name fact_labels[] = {
	{ "category", N_("Category"), 0 },
	{ "place", N_("Where"), 0 },
	{ "people_involved", N_("People involved"), 0 },
	{ "amount", N_("Amount (yuan)"), 0 },
	{ "began_on", N_("Began on"), 0 },
	{ "received_at", N_("Received at"), 0 },
	{ "groups", N_("Special groups"), 0 },
	{ "urgent_reason", N_("Why urgent"), 0 },
	{ "aid_category", N_("Kind of case"), 0 },
	{ "household_size", N_("Household size"), 0 },
	{ "monthly_income", N_("Household income a month"), 0 },
	{ "service", N_("Service"), 0 },
	{ "about", N_("About"), 0 },
	{ NULL, NULL, 0 }
};

/* Codes a value may hold, as the intake forms name them. */
static const struct code_name fact_codes[] = {
	{ "elderly", N_("Elderly"), 0 },
	{ "minor", N_("Minor"), 0 },
	{ "disabled", N_("Person with disability"), 0 },
	{ "women", N_("Women"), 0 },
	{ "migrant_worker", N_("Migrant worker"), 0 },
	{ "veteran", N_("Veteran"), 0 },
	{ "lawyer", N_("Lawyer"), 0 },
	{ "notary", N_("Notary"), 0 },
	{ "appraisal", N_("Judicial appraisal"), 0 },
	{ NULL, NULL, 0 }
};

PGresult *
case_facts_load(struct ui *ui, const char *case_id, char **cause)
{
	const char	*p[2];

	p[0] = case_id;
	p[1] = ui->user.locale != NULL ? ui->user.locale : "zh_CN";
	return db_call(ui->db, FACTS_SQL, 2, p, cause);
}

/* "Label: value", codes named (a service, the groups of a list). */
static char *
case_fact(const char *key, const char *value, bool list)
{
	char	*v = xstrdup(value), *out, *t, *save = NULL, *code;
	size_t	 n = 0;

	out = xstrdup("");
	for (code = strtok_r(v, list ? "," : "", &save); code != NULL;
	    code = strtok_r(NULL, ",", &save)) {
		xasprintf(&t, "%s%s%s", out, n++ > 0 ? _(", ") : "",
		    _(code_label(fact_codes, code)));
		free(out);
		out = t;
	}
	free(v);
	xasprintf(&t, _("%s: %s"), _(code_label(fact_labels, key)), out);
	free(out);
	return t;
}

void
case_facts_draw(PGresult *res, int *row)
{
	char	*line = xstrdup(""), *f, *t;
	int	 i, lines = 0, width = COLS - 4;

	for (i = 0; res != NULL && i < PQntuples(res); i++) {
		f = case_fact(PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		    strcmp(PQgetvalue(res, i, 2), "t") == 0);
		if (*line != '\0' &&
		    utf8_cols(line) + 3 + utf8_cols(f) > width) {
			if (lines + 1 == CASE_FACT_LINES) {
				free(f);
				break;
			}
			ui_put((*row)++, 2, width, line, A_NORMAL);
			lines++;
			free(line);
			line = xstrdup("");
		}
		xasprintf(&t, "%s%s%s", line, *line != '\0' ? "   " : "", f);
		free(line);
		free(f);
		line = t;
	}
	if (*line != '\0')
		ui_put((*row)++, 2, width, line, A_NORMAL);
	free(line);
}
