/*
 * screen-sessions.c — the administrator's view of who is logged in now
 * (admin_sessions(): the open sessions of users of their jurisdiction),
 * and Enter to end one with a reason (session_terminate()); casetermd
 * closes the session at its next heartbeat, within seconds.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static const struct dialog session_end_dialog = {
	"session-end", NULL,
	"SELECT caseterm.session_terminate($1::bigint, $2)", { "reason" }
};

/* Shown columns, then the session id. */
static int
sessions_fill(struct ui *ui, struct list_view *lv)
{
	PGresult	*res;
	char		*cause = NULL;

	res = db_call(ui->db, "SELECT login, display_name, unit_name, source, "
	    "to_char(started AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI'), "
	    "session_id FROM caseterm.admin_sessions(false)", 0, NULL, &cause);
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

static void
sessions_open(struct ui *ui, struct list_view *lv, size_t i)
{
	struct dialog	 d = session_end_dialog;
	char		**row = lv->rows[i], *ended = NULL, *title;

	if (strtoll(row[lv->ncols], NULL, 10) == ui->session_id) {
		ui_status(ui, true, "%s", _("This is your own session: F10 "
		    "logs out."));
		return;
	}
	xasprintf(&title, _("End the session of %s (%s)"), row[1], row[0]);
	d.title = title;
	if (dialog_run(ui, &d, row[lv->ncols], NULL, &ended)) {
		if (strcmp(ended, "t") != 0)
			ui_status(ui, false, "%s", _("The session had already "
			    "ended."));
		lv->reload = true;
	}
	free(ended);
	free(title);
}

void
screen_sessions(struct ui *ui)
{
	static const struct list_col cols[] = {
		{ N_("Login"), 14 }, { N_("Name"), 10 }, { N_("Unit"), 18 },
		{ N_("Source"), 18 }, { N_("Since"), 0 },
	};
	struct list_view	 lv;

	memset(&lv, 0, sizeof lv);
	lv.title = _("Active sessions");
	lv.cols = cols;
	lv.ncols = sizeof cols / sizeof cols[0];
	lv.open = sessions_open;
	lv.keys = _(" ↑↓ move   Enter end the session   F3 back   "
	    "F10 log out");
	list_run_reload(ui, &lv, sessions_fill);
}
