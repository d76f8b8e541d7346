/*
 * screen-inbox.c — lists of cases that lead to the case screen: the
 * inboxes of inbox() (to review, to dispatch, awaiting sign-for, in
 * progress, awaiting my approval, awaiting follow-up, overdue, supervised),
 * and search (forms/search.conf, search_cases()).  A row's colour is its
 * deadline warning: red overdue, yellow due soon.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* The shown columns of a case row, then the case id and the warning. */
#define CASE_ROW_SQL "case_no, coalesce(to_char(due_at AT TIME ZONE " \
	"'Asia/Shanghai', 'MM-DD HH24:MI'), ''), kind, state, " \
	"coalesce(applicant_name, ''), unit_name, case_id, warning"

static const struct list_col case_cols[] = {
	{ N_("Case no."), 11 }, { N_("Due"), 11 }, { N_("Kind"), 10 },
	{ N_("State"), 10 }, { N_("Applicant"), 10 }, { N_("Unit"), 0 },
};
#define CASE_COLS	(sizeof case_cols / sizeof case_cols[0])

static attr_t
inbox_row_attr(struct list_view *lv, size_t i)
{
	const char	*w = lv->rows[i][lv->ncols + 1];

	if (strcmp(w, "overdue") == 0)
		return has_colors() ? COLOR_PAIR(2) : A_BOLD;
	if (strcmp(w, "due_soon") == 0)
		return has_colors() ? COLOR_PAIR(5) : A_NORMAL;
	return A_NORMAL;
}

/* Every case list has the case id right after the shown columns. */
static void
case_list_open(struct ui *ui, struct list_view *lv, size_t i)
{
	screen_case(ui, strtoll(lv->rows[i][lv->ncols], NULL, 10));
	lv->reload = true;	/* the case may have moved on */
}

/* Run the query (as the clerk: row-level security) into lv; -1 if not. */
static int
inbox_fill(struct ui *ui, struct list_view *lv, const char *sql, int n,
    const char *const *p)
{
	PGresult	*res;
	char		*cause = NULL;

	if ((res = db_call(ui->db, sql, n, p, &cause)) == NULL) {
		ui_status(ui, true, _("Cannot load the list: %s"), _(cause));
		free(cause);
		return -1;
	}
	list_free(lv);
	list_load(lv, res);
	PQclear(res);
	list_translate_case_codes(lv);
	if (lv->sel >= lv->nrows)
		lv->sel = lv->nrows > 0 ? lv->nrows - 1 : 0;
	return 0;
}

/*
 * A list of cases from sql: the shown columns (kind and state codes as the
 * third and fourth), the case id, and optionally the deadline warning,
 * which colours the row.  Enter opens the case; coming back reloads.
 */
void
case_list_run(struct ui *ui, const char *title, const struct list_col *cols,
    size_t ncols, bool warning, const char *sql, int n, const char *const *p)
{
	struct list_view	 lv;

	memset(&lv, 0, sizeof lv);
	lv.title = title;
	lv.cols = cols;
	lv.ncols = ncols;
	lv.open = case_list_open;
	lv.row_attr = warning ? inbox_row_attr : NULL;
	if (inbox_fill(ui, &lv, sql, n, p) != 0)
		return;
	ui_status(ui, false, "%s", "");
	for (;;) {
		lv.reload = false;
		list_run(ui, &lv);
		if (!lv.reload || ui->quit)
			break;
		if (inbox_fill(ui, &lv, sql, n, p) != 0)
			break;
	}
	list_free(&lv);
}

static const struct code_name inbox_titles[] = {
	{ "review",	N_("To review"), 0 },
	{ "dispatch",	N_("To dispatch"), 0 },
	{ "signfor",	N_("Awaiting sign-for"), 0 },
	{ "in_progress", N_("In progress"), 0 },
	{ "approval",	N_("Awaiting my approval"), 0 },
	{ "followup",	N_("Awaiting follow-up"), 0 },
	{ "overdue",	N_("Overdue"), 0 },
	{ "supervised",	N_("Supervised"), 0 },
	{ NULL, NULL, 0 }
};

void
screen_inbox(struct ui *ui, const char *box)
{
	const char	*p[1] = { box };

	case_list_run(ui, _(code_label(inbox_titles, box)), case_cols,
	    CASE_COLS, true, "SELECT " CASE_ROW_SQL
	    " FROM caseterm.inbox($1, 500)", 1, p);
}

void
screen_search(struct ui *ui, const char *arg)
{
	static const char *const names[] = { "case_no", "id_number", "phone",
	    "name", "kind", "state", "unit", "from", "to" };
	struct form_def	*def;
	struct form	 f;
	const char	*p[9];
	char		*tofree[9];
	enum ui_key	 k;
	size_t		 i;

	if ((def = ui_form_load(ui, "search")) == NULL)
		return;
	form_init(&f, def, ui);
	ui_status(ui, false, "%s", _("Fill in any field, then F2 to search."));
	while ((k = form_run(&f)) == UK_SAVE) {
		for (i = 0; i < 9; i++)
			p[i] = form_value(&f, names[i], &tofree[i]);
		case_list_run(ui, _("Search results"), case_cols, CASE_COLS,
		    true, "SELECT " CASE_ROW_SQL
		    " FROM caseterm.search_cases(nullif($1, ''), nullif($2, ''), "
		    "nullif($3, ''), nullif($4, ''), nullif($5, ''), "
		    "nullif($6, ''), (SELECT id FROM caseterm.org_unit WHERE "
		    "code = nullif($7, '')), nullif($8, '')::date, "
		    "nullif($9, '')::date, 500)", 9, p);
		for (i = 0; i < 9; i++)
			free(tofree[i]);
		if (ui->quit)
			break;
	}
	if (k == UK_QUIT)
		ui->quit = true;
	form_free(&f);
	form_def_free(def);
}
