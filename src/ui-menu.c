/*
 * ui-menu.c — the main menu: the items of forms/menus.conf that this
 * clerk's roles and office level allow, then Exit.  Arrow keys or the item's
 * number select, Enter opens, F10 (or Exit) logs out.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

struct ui_menu_entry {
	const struct menu_item	*item;	/* NULL: Exit */
	char			 key;
};

static size_t
ui_menu_build(struct ui *ui, struct ui_menu_entry *e)
{
	size_t	 i, n = 0;

	for (i = 0; i < ui->menu->nitems; i++) {
		const struct menu_item *mi = &ui->menu->items[i];
		if (!menu_allows(mi, ui->user.roles, ui->user.level_bit))
			continue;
		e[n].item = mi;
		e[n].key = mi->key != 0 ? mi->key : (char)('1' + n);
		n++;
	}
	e[n].item = NULL;
	e[n].key = '0';
	return n + 1;
}

static void
ui_menu_draw(struct ui *ui, struct ui_menu_entry *e, size_t n, size_t sel)
{
	size_t	 i;
	char	*line;

	if (ui_too_small(ui))
		return;
	ui_frame(ui, _("Main menu"),
	    _(" ↑↓ select   Enter open   F1 help   F10 log out"));
	for (i = 0; i < n; i++) {
		xasprintf(&line, " %c  %s", e[i].key, e[i].item != NULL ?
		    _(e[i].item->label) : _("Exit"));
		ui_put(4 + (int)i, 4, 40, line, i == sel ? A_REVERSE : A_NORMAL);
		free(line);
	}
	move(4 + (int)sel, 5);
	refresh();
}

void
ui_menu(struct ui *ui)
{
	struct ui_menu_entry	*e;
	size_t			 n, sel = 0, i;
	wint_t			 wc;
	int			 code;

	e = xcalloc(ui->menu->nitems + 1, sizeof *e);
	n = ui_menu_build(ui, e);
	ui_status(ui, false, _("Welcome, %s."), ui->user.name);
	while (!ui->quit) {
		ui_menu_draw(ui, e, n, sel);
		switch (ui_key(ui, &wc, &code)) {
		case UK_UP:
		case UK_PREV:
			sel = sel == 0 ? n - 1 : sel - 1;
			break;
		case UK_DOWN:
		case UK_NEXT:
			sel = (sel + 1) % n;
			break;
		case UK_HOME:
			sel = 0;
			break;
		case UK_END:
			sel = n - 1;
			break;
		case UK_QUIT:
			ui->quit = true;
			break;
		case UK_HELP:
			ui_message(ui, _("Help"), _("Choose with the arrow keys "
			    "or the number, open with Enter; F10 logs out."));
			break;
		case UK_BACK:
			ui_status(ui, false, _("This is the main menu: F10 or "
			    "Exit logs out."));
			break;
		case UK_CHAR:
			for (i = 0; i < n; i++)
				if ((wint_t)e[i].key == wc)
					break;
			if (i == n)
				break;
			sel = i;
			/* FALLTHROUGH */
		case UK_ENTER:
			if (e[sel].item == NULL) {
				ui->quit = true;
				break;
			}
			ui_status(ui, false, "%s", "");
			screen_open(ui, e[sel].item);
			break;
		default:
			break;
		}
	}
	free(e);
}
