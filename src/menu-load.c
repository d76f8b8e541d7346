/*
 * menu-load.c — the main menu as data (forms/menus.conf).  Each item names
 * a screen, the roles that may open it (any one suffices) and the office
 * levels it appears at.  The screen names a menu may use are listed here, so
 * that casetermd -t catches a misspelt one.
 */
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "form.h"

const char *const screen_names[] = {
	"consultation", "legal_aid", "legal_service", "complaint",
	"suggestion", "mediation", "grid_screening", "my_cases", "unit_cases", "users",
	"search", "inbox_review", "inbox_dispatch", "inbox_signfor",
	"inbox_in_progress", "inbox_approval", "inbox_followup",
	"inbox_overdue", "inbox_supervised", "sessions", "audit", "units",
	"figures", "dashboard", "zero_report", "knowledge", "codes", "calendar", "deadlines", NULL
};

/* The inboxes of inbox_counts() a menu item may show the number of. */
const char *const inbox_names[] = {
	"review", "dispatch", "signfor", "in_progress", "approval", "followup",
	"overdue", "supervised", NULL
};

/* A list of names, each a code of table t: their bits or'ed. */
static int
menu_bits(config_setting_t *item, const char *name,
    const struct code_name *t, unsigned *out, const char *file, char **cause)
{
	config_setting_t	*l = config_setting_get_member(item, name);
	const char		*v;
	unsigned		 bit;
	int			 i;

	*out = 0;
	if (l == NULL || !config_setting_is_array(l) ||
	    config_setting_length(l) == 0)
		return form_error(cause, file, l != NULL ? l : item,
		    "'%s' must be a non-empty list of names [\"...\"]", name);
	for (i = 0; i < config_setting_length(l); i++) {
		v = config_setting_get_string_elem(l, i);
		if (v == NULL || (bit = code_bit(t, v)) == 0)
			return form_error(cause, file, l, "unknown name in '%s'",
			    name);
		*out |= bit;
	}
	return 0;
}

static int
menu_item(config_setting_t *s, struct menu_item *mi, const char *file,
    char **cause)
{
	static const char *const keys[] = { "label", "screen", "key", "roles",
	    "levels", "count", NULL };
	const char *const	*k;
	const char		*v;

	if (!config_setting_is_group(s))
		return form_error(cause, file, s, "%s",
		    "a menu item must be a group { label = ...; ... }");
	if (form_check_keys(s, keys, file, cause) != 0)
		return -1;
	if (!config_setting_lookup_string(s, "label", &v) || *v == '\0')
		return form_error(cause, file, s, "%s", "missing 'label'");
	mi->label = xstrdup(v);
	if (!config_setting_lookup_string(s, "screen", &v))
		return form_error(cause, file, s, "%s", "missing 'screen'");
	for (k = screen_names; *k != NULL; k++)
		if (strcmp(*k, v) == 0)
			break;
	if (*k == NULL)
		return form_error(cause, file, config_setting_get_member(s,
		    "screen"), "no such screen '%s'", v);
	mi->screen = xstrdup(v);
	if (config_setting_lookup_string(s, "key", &v)) {
		if (strlen(v) != 1)
			return form_error(cause, file, s, "%s",
			    "'key' must be one character");
		mi->key = v[0];
	}
	if (config_setting_lookup_string(s, "count", &v)) {
		for (k = inbox_names; *k != NULL; k++)
			if (strcmp(*k, v) == 0)
				break;
		if (*k == NULL)
			return form_error(cause, file, config_setting_get_member(s,
			    "count"), "no such inbox '%s'", v);
		mi->count = xstrdup(v);
	}
	if (menu_bits(s, "roles", role_names, &mi->roles, file, cause) != 0 ||
	    menu_bits(s, "levels", level_names, &mi->levels, file, cause) != 0)
		return -1;
	return 0;
}

struct menu_def *
menu_load(const char *path, char **cause)
{
	config_t		 lc;
	config_setting_t	*menu;
	struct menu_def		*md;
	size_t			 i;

	*cause = NULL;
	md = xcalloc(1, sizeof *md);
	config_init(&lc);
	if (config_read_file(&lc, path) != CONFIG_TRUE) {
		xasprintf(cause, "%s:%d: %s", path, config_error_line(&lc),
		    config_error_text(&lc));
		goto fail;
	}
	menu = config_lookup(&lc, "menu");
	if (menu == NULL || !config_setting_is_list(menu) ||
	    config_setting_length(menu) == 0) {
		xasprintf(cause, "%s:%d: 'menu' must be a non-empty list "
		    "( { ... }, ... )", path, menu != NULL ?
		    config_setting_source_line(menu) : 1);
		goto fail;
	}
	md->nitems = (size_t)config_setting_length(menu);
	md->items = xcalloc(md->nitems, sizeof *md->items);
	for (i = 0; i < md->nitems; i++)
		if (menu_item(config_setting_get_elem(menu, (unsigned)i),
		    &md->items[i], path, cause) != 0)
			goto fail;
	config_destroy(&lc);
	return md;
fail:
	config_destroy(&lc);
	menu_def_free(md);
	return NULL;
}

void
menu_def_free(struct menu_def *md)
{
	size_t	 i;

	if (md == NULL)
		return;
	for (i = 0; i < md->nitems; i++) {
		free(md->items[i].label);
		free(md->items[i].screen);
		free(md->items[i].count);
	}
	free(md->items);
	free(md);
}

bool
menu_allows(const struct menu_item *mi, unsigned roles, unsigned level)
{
	return (mi->roles & roles) != 0 && (mi->levels & level) != 0;
}
