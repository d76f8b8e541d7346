/*
 * screen-tables.c — a city administrator's reference tables (issue 6):
 * the code tables forms offer (dispute categories, channels, case kinds:
 * F5 adds a code or changes a label, Enter disables or enables one), the working calendar
 * (the imported years; Enter shows a year's holidays and make-up working
 * days; F5 imports <paths.data>/holiday-cn/YEAR.json) and the deadline
 * limits (Enter changes a step's working days).  The database decides
 * (require_city_admin()); a refusal is shown.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* Load the result of sql (n parameters p) into lv; -1 when refused. */
static int
tables_load(struct ui *ui, struct list_view *lv, const char *sql, int n,
    const char *const *p)
{
	PGresult	*res;
	char		*cause = NULL;

	res = db_call(ui->db, sql, n, p, &cause);
	if (res == NULL) {
		ui_status(ui, true, _("Cannot load the list: %s"), _(cause));
		free(cause);
		return -1;
	}
	list_free(lv);
	list_load(lv, res);
	PQclear(res);
	if (lv->sel >= lv->nrows)
		lv->sel = lv->nrows > 0 ? lv->nrows - 1 : 0;
	return 0;
}

/* Replace lv's column col of every row with its translation. */
static void
tables_translate(struct list_view *lv, size_t col,
    const struct code_name *names)
{
	size_t	 i;
	char	*t;

	for (i = 0; i < lv->nrows; i++) {
		t = xstrdup(_(code_label(names, lv->rows[i][col])));
		free(lv->rows[i][col]);
		lv->rows[i][col] = t;
	}
}

/* ------------------------------------------------------------ code tables */

static const struct code_name code_kinds[] = {
	{ "dispute_category", N_("Dispute categories"), 0 },
	{ "channel",	N_("Channels"), 0 },
	{ "case_kind",	N_("Case kinds"), 0 },
	{ NULL, NULL, 0 }
};

/* The hidden columns after the shown ones. */
enum { CD_CODE = 5, CD_LABEL, CD_DISABLED };

static int
codes_fill(struct ui *ui, struct list_view *lv)
{
	const char	*p[1] = { lv->arg };
	size_t		 i;
	char		*t;

	if (tables_load(ui, lv, "SELECT code, label, coalesce(label_en, ''), "
	    "sort::text, '', code, label, disabled FROM caseterm.code_list($1)",
	    1, p) != 0)
		return -1;
	for (i = 0; i < lv->nrows; i++) {
		if (strcmp(lv->rows[i][CD_DISABLED], "t") != 0)
			continue;
		t = xstrdup(_("disabled"));
		free(lv->rows[i][4]);
		lv->rows[i][4] = t;
	}
	return 0;
}

/* Enter: disable or enable the code. */
static void
codes_open(struct ui *ui, struct list_view *lv, size_t i)
{
	char		**row = lv->rows[i], *q, *cause = NULL;
	const char	*p[2] = { lv->arg, row[CD_CODE] };
	bool		 disabled = strcmp(row[CD_DISABLED], "t") == 0;
	PGresult	*res;

	if (disabled)
		xasprintf(&q, _("Enable %s?"), row[CD_LABEL]);
	else
		xasprintf(&q, _("Disable %s? Forms no longer offer it; cases "
		    "that have it keep it."), row[CD_LABEL]);
	if (!ui_confirm(ui, q)) {
		free(q);
		return;
	}
	free(q);
	res = db_call(ui->db, disabled ?
	    "SELECT caseterm.code_set_disabled($1, $2, false)" :
	    "SELECT caseterm.code_set_disabled($1, $2, true)", 2, p, &cause);
	if (res == NULL) {
		ui_status(ui, true, _("Not done: %s"), _(cause));
		free(cause);
		return;
	}
	PQclear(res);
	ui_status(ui, false, _("Done: %s."), disabled ? _("Enable the code") :
	    _("Disable the code"));
	lv->reload = true;
}

/* F5: add a code or change one's label (an empty English label or order
 * keeps the one of now). */
static void
codes_key(struct ui *ui, struct list_view *lv, int code)
{
	static const struct dialog add = { "code-add", NULL,
	    "SELECT caseterm.code_save($1, $2, $3, $4::int, coalesce($5, "
	    "(SELECT label_en FROM caseterm.code_list($1) WHERE code = $2)))",
	    { "code", "label", "sort", "label_en" } };

	if (code != KEY_F(5))
		return;
	if (dialog_run(ui, &add, lv->arg, NULL, NULL))
		lv->reload = true;
}

void
screen_codes(struct ui *ui)
{
	static const struct list_col cols[] = {
		{ N_("Code"), 16 }, { N_("Label"), 24 },
		{ N_("English label"), 22 }, { N_("Order"), 6 },
		{ N_("State"), 0 },
	};
	const char		*labels[8];
	struct list_view	 lv;
	char			*title;
	size_t			 n;
	int			 pick;

	for (n = 0; code_kinds[n].code != NULL; n++)
		labels[n] = _(code_kinds[n].label);
	if ((pick = ui_choose(ui, _("Code tables"), labels, n)) < 0)
		return;
	memset(&lv, 0, sizeof lv);
	xasprintf(&title, "%s: %s", _("Code tables"), labels[pick]);
	lv.title = title;
	lv.cols = cols;
	lv.ncols = sizeof cols / sizeof cols[0];
	lv.open = codes_open;
	lv.key = codes_key;
	lv.arg = (void *)code_kinds[pick].code;
	lv.keys = _(" ↑↓ move   Enter disable/enable   F5 add   F3 back   "
	    "F10 log out");
	list_run_reload(ui, &lv, codes_fill);
	free(title);
}

/* -------------------------------------------------------- working calendar */

static int
holidays_fill(struct ui *ui, struct list_view *lv)
{
	const char	*p[1] = { lv->arg };

	return tables_load(ui, lv, "SELECT name, coalesce(min(day) FILTER "
	    "(WHERE NOT is_workday) || ' – ' || max(day) FILTER (WHERE NOT "
	    "is_workday), ''), (count(*) FILTER (WHERE NOT is_workday))::text, "
	    "coalesce(string_agg(day::text, ' ' ORDER BY day) FILTER (WHERE "
	    "is_workday), '') FROM caseterm.work_calendar WHERE day >= "
	    "make_date($1::int, 1, 1) AND day < make_date($1::int + 1, 1, 1) "
	    "AND name IS NOT NULL GROUP BY name ORDER BY min(day)", 1, p);
}

/* Enter on a year: its holidays and make-up working days. */
static void
years_open(struct ui *ui, struct list_view *lv, size_t i)
{
	static const struct list_col cols[] = {
		{ N_("Holiday"), 14 }, { N_("Days off"), 26 },
		{ N_("Days"), 5 }, { N_("Make-up working days"), 0 },
	};
	struct list_view	 hv;
	char			*title;

	memset(&hv, 0, sizeof hv);
	xasprintf(&title, _("Holidays of %s"), lv->rows[i][0]);
	hv.title = title;
	hv.cols = cols;
	hv.ncols = sizeof cols / sizeof cols[0];
	hv.arg = lv->rows[i][0];
	hv.keys = _(" ↑↓ PgUp PgDn move   F3 back   F10 log out");
	list_run_reload(ui, &hv, holidays_fill);
	free(title);
}

static int
years_fill(struct ui *ui, struct list_view *lv)
{
	return tables_load(ui, lv, "SELECT year::text, to_char(imported_at AT "
	    "TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), off_days::text, "
	    "workdays::text FROM caseterm.calendar_year ORDER BY year", 0, NULL);
}

/* The text of path (at most 1 MB), or NULL with errno set. */
static char *
read_text(const char *path)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	buf = xmalloc(1024 * 1024 + 1);
	n = fread(buf, 1, 1024 * 1024 + 1, f);
	if (ferror(f) || n > 1024 * 1024) {
		fclose(f);
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* F5: import the official holiday file of a year. */
static void
years_key(struct ui *ui, struct list_view *lv, int code)
{
	static const struct dialog ask = { "calendar-year", NULL,
	    "SELECT $1::int::text", { "year" } };
	char		*year = NULL, *path, *text, *cause = NULL;
	const char	*p[1];
	PGresult	*res;

	if (code != KEY_F(5))
		return;
	if (!dialog_run(ui, &ask, NULL, NULL, &year) || year == NULL ||
	    *year == '\0') {
		free(year);
		return;
	}
	xasprintf(&path, "%s/holiday-cn/%s.json", ui->cfg->data_dir, year);
	if ((text = read_text(path)) == NULL) {
		ui_status(ui, true, _("Cannot read %s: %s"), path,
		    strerror(errno));
		goto out;
	}
	p[0] = text;
	res = db_call(ui->db, "SELECT year::text, days_off::text, "
	    "working_days::text FROM caseterm.calendar_import_admin($1::jsonb)",
	    1, p, &cause);
	free(text);
	if (res == NULL) {
		ui_status(ui, true, _("Not done: %s"), _(cause));
		free(cause);
		goto out;
	}
	if (PQntuples(res) > 0)
		ui_status(ui, false, _("Imported %s: %s days off, %s working "
		    "days."), PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
		    PQgetvalue(res, 0, 2));
	PQclear(res);
	lv->reload = true;
out:
	free(path);
	free(year);
}

void
screen_calendar(struct ui *ui)
{
	static const struct list_col cols[] = {
		{ N_("Year"), 6 }, { N_("Imported at"), 18 },
		{ N_("Days off"), 10 }, { N_("Working weekend days"), 0 },
	};
	struct list_view	 lv;

	memset(&lv, 0, sizeof lv);
	lv.title = _("Working calendar");
	lv.cols = cols;
	lv.ncols = sizeof cols / sizeof cols[0];
	lv.open = years_open;
	lv.key = years_key;
	lv.keys = _(" ↑↓ move   Enter holidays   F5 import   F3 back   "
	    "F10 log out");
	list_run_reload(ui, &lv, years_fill);
}

/* ---------------------------------------------------------- deadline limits */

static const struct code_name rule_kinds[] = {
	{ "*",			N_("Every kind"), 0 },
	{ "consultation",	N_("Consultation"), 0 },
	{ "legal_aid",		N_("Legal aid"), 0 },
	{ "legal_service",	N_("Legal service"), 0 },
	{ "mediation",		N_("Mediation"), 0 },
	{ "complaint",		N_("Complaint"), 0 },
	{ "suggestion",		N_("Suggestion"), 0 },
	{ NULL, NULL, 0 }
};
static const struct code_name rule_steps[] = {
	{ "review",		N_("Review"), 0 },
	{ "handle",		N_("Handling"), 0 },
	{ "signfor",		N_("Sign-for"), 0 },
	{ "return",		N_("Return review"), 0 },
	{ "followup",		N_("Follow-up"), 0 },
	{ "extension_max",	N_("Extension at most"), 0 },
	{ "reopen",		N_("Reopen"), 0 },
	{ "warn",		N_("Warning ahead"), 0 },
	{ NULL, NULL, 0 }
};

/* The hidden columns after the shown ones: kind/step, the days. */
enum { DL_RULE = 4, DL_DAYS, DL_URGENT };

static int
deadlines_fill(struct ui *ui, struct list_view *lv)
{
	if (tables_load(ui, lv, "SELECT kind, step, workdays::text, "
	    "urgent_workdays::text, kind || '/' || step, workdays::text, "
	    "urgent_workdays::text FROM caseterm.deadline_rule ORDER BY "
	    "kind <> '*', kind, array_position(ARRAY['review', 'signfor', "
	    "'handle', 'return', 'followup', 'extension_max', 'reopen', "
	    "'warn'], step)", 0, NULL) != 0)
		return -1;
	tables_translate(lv, 0, rule_kinds);
	tables_translate(lv, 1, rule_steps);
	return 0;
}

/* Enter: change the working days of the step. */
static void
deadlines_open(struct ui *ui, struct list_view *lv, size_t i)
{
	static const struct dialog set = { "deadline-days", NULL,
	    "SELECT caseterm.deadline_rule_set(split_part($1, '/', 1), "
	    "split_part($1, '/', 2), $2::int, $3::int)",
	    { "workdays", "urgent_workdays" } };
	char		**row = lv->rows[i];
	const char	*defaults[] = { "workdays", row[DL_DAYS],
	    "urgent_workdays", row[DL_URGENT], NULL };

	if (dialog_run(ui, &set, row[DL_RULE], defaults, NULL))
		lv->reload = true;
}

void
screen_deadlines(struct ui *ui)
{
	static const struct list_col cols[] = {
		{ N_("Case kind"), 14 }, { N_("Step"), 18 },
		{ N_("Working days"), 14 }, { N_("Urgent"), 0 },
	};
	struct list_view	 lv;

	memset(&lv, 0, sizeof lv);
	lv.title = _("Deadline limits");
	lv.cols = cols;
	lv.ncols = sizeof cols / sizeof cols[0];
	lv.open = deadlines_open;
	lv.keys = _(" ↑↓ PgUp PgDn move   Enter change   F3 back   "
	    "F10 log out");
	list_run_reload(ui, &lv, deadlines_fill);
}
