/*
 * screen-zero.c — the zero report (零报告): today's report of the clerk's
 * unit and of the towns and villages below it (sql/038_zero_report.sql):
 * reported at what time by whom, or how many disputes were registered
 * instead, or nothing yet.  An intake clerk files their unit's report
 * with F5; the database refuses it when the unit registered a dispute
 * today.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static void
zero_fill(struct ui *ui, struct pager *pg)
{
	PGresult	*res;
	char		*cause = NULL, *line, *state;
	int		 i;

	res = db_call(ui->db, "SELECT unit_name, own, coalesce(to_char("
	    "reported_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI'), ''), "
	    "coalesce(reported_by_name, ''), disputes::text, to_char(now() AT "
	    "TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') FROM "
	    "caseterm.zero_report_status()", 0, NULL, &cause);
	pager_clear(pg);
	if (res == NULL) {
		ui_status(ui, true, _("Cannot load the list: %s"), _(cause));
		free(cause);
		return;
	}
	for (i = 0; i < PQntuples(res); i++) {
		if (i == 0)
			pager_add(pg, A_BOLD | A_UNDERLINE, _("Zero reports of "
			    "%s"), PQgetvalue(res, 0, 5));
		if (*PQgetvalue(res, i, 2) != '\0')
			xasprintf(&state, _("zero reported at %s by %s"),
			    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
		else if (strcmp(PQgetvalue(res, i, 4), "0") != 0)
			xasprintf(&state, _("%s disputes registered"),
			    PQgetvalue(res, i, 4));
		else
			state = xstrdup(_("not reported yet"));
		line = utf8_pad(PQgetvalue(res, i, 0), 30);
		pager_add(pg, strcmp(PQgetvalue(res, i, 1), "t") == 0 ?
		    A_BOLD : A_NORMAL, "%s %s", line, state);
		free(line);
		free(state);
	}
	if (PQntuples(res) == 0)
		pager_add(pg, A_NORMAL, "%s", _("No town or village reports "
		    "to you."));
	PQclear(res);
}

/* F5: file today's zero report of the clerk's unit. */
static void
zero_key(struct ui *ui, struct pager *pg, int code)
{
	PGresult	*res;
	char		*cause = NULL;

	if (code != KEY_F(5))
		return;
	if (!(ui->user.roles & ROLE_INTAKE)) {
		ui_status(ui, true, "%s", _("Only intake clerks file the zero "
		    "report."));
		return;
	}
	if (!ui_confirm(ui, _("File today's zero report: no dispute was "
	    "found in your area today?")))
		return;
	res = db_call(ui->db, "SELECT to_char(caseterm.zero_report_file() AT "
	    "TIME ZONE 'Asia/Shanghai', 'HH24:MI')", 0, NULL, &cause);
	if (res == NULL) {
		ui_status(ui, true, _("Not done: %s"), _(cause));
		free(cause);
		return;
	}
	ui_status(ui, false, _("Zero report filed at %s."),
	    PQgetvalue(res, 0, 0));
	PQclear(res);
	zero_fill(ui, pg);
}

void
screen_zero_report(struct ui *ui)
{
	struct pager	 pg;

	memset(&pg, 0, sizeof pg);
	pg.title = _("Zero report");
	pg.keys = ui->user.roles & ROLE_INTAKE ? _(" F5 file today's zero "
	    "report   F3 back   F10 log out") : NULL;
	pg.key = zero_key;
	zero_fill(ui, &pg);
	pager_run(ui, &pg);
	pager_clear(&pg);
}
