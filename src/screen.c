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
};

static const struct screen_entry screen_table[] = {
	{ "consultation",	screen_consultation },
	{ "mediation",		screen_mediation },
	{ "my_cases",		screen_my_cases },
	{ "unit_cases",		screen_unit_cases },
	{ "users",		screen_users },
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
			screen_table[i].run(ui);
			return;
		}
	}
	ui_status(ui, true, _("No such screen: %s"), mi->screen);
}
