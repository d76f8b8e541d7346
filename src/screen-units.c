/*
 * screen-units.c — the administrator's part of the org tree (unit_list():
 * their unit and everything below it, indented), and Enter on a unit for
 * what may be done to it: rename it, add a unit below it, move it under
 * another, disable or enable it (its users cannot log in while it is
 * disabled).  The database decides (admin_scope()); a refusal is shown.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* The hidden columns after the shown ones. */
enum { UN_CODE = 5, UN_NAME, UN_DISABLED };

enum unit_act { NA_RENAME, NA_ADD, NA_MOVE, NA_DISABLE, NA_ENABLE };
static const struct unit_action {
	enum unit_act	 act;
	const char	*label;		/* msgid */
	struct dialog	 dialog;
} unit_actions[] = {
	{ NA_RENAME, N_("Rename the unit"), { "unit-name", NULL,
	  "SELECT caseterm.unit_rename($1, $2)", { "name" } } },
	{ NA_ADD, N_("Add a unit below"), { "unit-add", NULL,
	  "SELECT caseterm.unit_add($2, $3, $1, NULL, $4)",
	  { "code", "name", "kind" } } },
	{ NA_MOVE, N_("Move the unit"), { "unit-move", NULL,
	  "SELECT caseterm.unit_move($1, $2)", { "parent" } } },
	{ NA_DISABLE, N_("Disable the unit"), { NULL, NULL, NULL, { NULL } } },
	{ NA_ENABLE, N_("Enable the unit"), { NULL, NULL, NULL, { NULL } } },
};

static int
units_fill(struct ui *ui, struct list_view *lv)
{
	PGresult	*res;
	char		*cause = NULL, *t;
	size_t		 i;

	res = db_call(ui->db, "SELECT code, repeat('  ', depth - min(depth) "
	    "OVER ()) || name, level, users::text, CASE WHEN disabled THEN "
	    "'x' ELSE '' END, code, name, disabled FROM "
	    "caseterm.unit_list(NULL)", 0, NULL, &cause);
	if (res == NULL) {
		ui_status(ui, true, _("Cannot load the list: %s"), _(cause));
		free(cause);
		return -1;
	}
	list_free(lv);
	list_load(lv, res);
	PQclear(res);
	for (i = 0; i < lv->nrows; i++) {
		t = xstrdup(_(code_label(level_names, lv->rows[i][2])));
		free(lv->rows[i][2]);
		lv->rows[i][2] = t;
		t = xstrdup(*lv->rows[i][4] != '\0' ? _("disabled") : "");
		free(lv->rows[i][4]);
		lv->rows[i][4] = t;
	}
	if (lv->sel >= lv->nrows)
		lv->sel = lv->nrows > 0 ? lv->nrows - 1 : 0;
	return 0;
}

static void
units_open(struct ui *ui, struct list_view *lv, size_t i)
{
	const struct unit_action *acts[8];
	const char		*labels[8], *defaults[3] = { NULL, NULL, NULL };
	char			**row = lv->rows[i], *q;
	bool			 disabled = strcmp(row[UN_DISABLED], "t") == 0;
	size_t			 k, n = 0;
	int			 pick;
	bool			 done;

	for (k = 0; k < sizeof unit_actions / sizeof unit_actions[0]; k++) {
		if ((unit_actions[k].act == NA_DISABLE && disabled) ||
		    (unit_actions[k].act == NA_ENABLE && !disabled))
			continue;
		acts[n] = &unit_actions[k];
		labels[n++] = unit_actions[k].label;
	}
	xasprintf(&q, "%s %s", row[UN_CODE], row[UN_NAME]);
	pick = ui_choose(ui, q, labels, n);
	free(q);
	if (pick < 0)
		return;
	switch (acts[pick]->act) {
	case NA_DISABLE:
	case NA_ENABLE:
		if (acts[pick]->act == NA_DISABLE)
			xasprintf(&q, _("Disable %s? Its users and those of the "
			    "units below it cannot log in then."), row[UN_NAME]);
		else
			xasprintf(&q, _("Enable %s?"), row[UN_NAME]);
		done = dialog_confirm(ui, q, acts[pick]->act == NA_DISABLE ?
		    "SELECT caseterm.unit_set_disabled($1, true)" :
		    "SELECT caseterm.unit_set_disabled($1, false)",
		    row[UN_CODE], _(acts[pick]->label));
		free(q);
		break;
	case NA_RENAME:
		defaults[0] = "name";
		defaults[1] = row[UN_NAME];
		/* FALLTHROUGH */
	default:
		done = dialog_run(ui, &acts[pick]->dialog, row[UN_CODE],
		    defaults, NULL);
		break;
	}
	if (done)
		lv->reload = true;
}

void
screen_units(struct ui *ui)
{
	static const struct list_col cols[] = {
		{ N_("Code"), 14 }, { N_("Unit"), 34 }, { N_("Level"), 8 },
		{ N_("Users"), 5 }, { N_("State"), 0 },
	};
	struct list_view	 lv;

	memset(&lv, 0, sizeof lv);
	lv.title = _("Units");
	lv.cols = cols;
	lv.ncols = sizeof cols / sizeof cols[0];
	lv.open = units_open;
	lv.keys = _(" ↑↓ PgUp PgDn move   Enter act   F3 back   F10 log out");
	if (units_fill(ui, &lv) != 0)
		return;
	for (;;) {
		lv.reload = false;
		list_run(ui, &lv);
		if (!lv.reload || ui->quit)
			break;
		if (units_fill(ui, &lv) != 0)
			break;
	}
	list_free(&lv);
}
