/*
 * screen.c — the table of screens.  A menu item names a screen; the one
 * place that checks whether this clerk may open it is screen_open(), against
 * the roles and levels the menu declares.  The database checks again.
 */
#include <string.h>

#include "ui.h"

struct screen_entry {
	const char	*name;
	void		(*run)(struct ui *);
	void		(*run_with)(struct ui *, const char *);	/* or this, */
	const char	*arg;					/* with this */
};

static const struct screen_entry screen_table[] = {
	{ "consultation",	NULL, screen_intake, "consultation" },
	{ "legal_aid",		NULL, screen_intake, "legal_aid" },
	{ "legal_service",	NULL, screen_intake, "legal_service" },
	{ "complaint",		NULL, screen_intake, "complaint" },
	{ "suggestion",		NULL, screen_intake, "suggestion" },
	{ "mediation",		NULL, screen_mediation, NULL },
	{ "grid_screening",	NULL, screen_mediation, "grid" },
	{ "my_cases",		screen_my_cases, NULL, NULL },
	{ "unit_cases",		screen_unit_cases, NULL, NULL },
	{ "users",		screen_users, NULL, NULL },
	{ "sessions",		screen_sessions, NULL, NULL },
	{ "audit",		screen_audit, NULL, NULL },
	{ "units",		screen_units, NULL, NULL },
	{ "figures",		screen_figures, NULL, NULL },
	{ "dashboard",		screen_dashboard, NULL, NULL },
	{ "zero_report",	screen_zero_report, NULL, NULL },
	{ "knowledge",		screen_knowledge, NULL, NULL },
	{ "codes",		screen_codes, NULL, NULL },
	{ "calendar",		screen_calendar, NULL, NULL },
	{ "deadlines",		screen_deadlines, NULL, NULL },
	{ "search",		NULL, screen_search, NULL },
	{ "inbox_review",	NULL, screen_inbox, "review" },
	{ "inbox_dispatch",	NULL, screen_inbox, "dispatch" },
	{ "inbox_signfor",	NULL, screen_inbox, "signfor" },
	{ "inbox_in_progress",	NULL, screen_inbox, "in_progress" },
	{ "inbox_approval",	NULL, screen_inbox, "approval" },
	{ "inbox_followup",	NULL, screen_inbox, "followup" },
	{ "inbox_overdue",	NULL, screen_inbox, "overdue" },
	{ "inbox_supervised",	NULL, screen_inbox, "supervised" },
};

void
screen_open(struct ui *ui, const struct menu_item *mi)
{
	size_t	 i;

	if (!menu_allows(mi, ui->user.roles, ui->user.level_bit)) {
		ui_status(ui, true, "%s", _("You are not allowed to open this."));
		return;
	}
	for (i = 0; i < sizeof screen_table / sizeof screen_table[0]; i++) {
		if (strcmp(screen_table[i].name, mi->screen) == 0) {
			if (screen_table[i].run != NULL)
				screen_table[i].run(ui);
			else
				screen_table[i].run_with(ui, screen_table[i].arg);
			return;
		}
	}
	ui_status(ui, true, _("No such screen: %s"), mi->screen);
}
