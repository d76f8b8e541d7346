/*
 * caseterm — the clerk's workstation.  Started by casetermd on a pty with a
 * one-time session token on a descriptor (-S fd), or by hand, when it asks
 * for a login itself.  See caseterm(1).
 */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui.h"

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: caseterm [-f config] [-S fd]\n");
	exit(2);
}

static void
ui_locale(void)
{
	if (setlocale(LC_ALL, "") == NULL ||
	    strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_ALL, "C.UTF-8");
}

static __attribute__((noreturn)) void
die(const char *what, const char *cause)
{
	ui_stop();
	fprintf(stderr, "caseterm: %s: %s\r\n", what, cause);
	exit(1);
}

int
main(int argc, char **argv)
{
	struct config	 cfg;
	struct ui	 ui;
	const char	*path = NULL;
	char		*cause, *menus;
	int		 ch, token_fd = -1;

	ui_locale();
	while ((ch = getopt(argc, argv, "f:S:")) != -1) {
		switch (ch) {
		case 'f':
			path = optarg;
			break;
		case 'S':
			token_fd = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	/* Under casetermd stderr is the clerk's screen: log to syslog. */
	log_init("caseterm", LL_WARN, token_fd != -1);
	if (config_load(path, &cfg, &cause) != 0)
		die(_("configuration"), cause);
	bindtextdomain(CT_DOMAIN, cfg.locale_dir);
	bind_textdomain_codeset(CT_DOMAIN, "UTF-8");
	textdomain(CT_DOMAIN);
	ui_set_language(cfg.default_locale);

	memset(&ui, 0, sizeof ui);
	ui.cfg = &cfg;
	if ((ui.db = db_open(cfg.db_conninfo, &cause)) == NULL)
		die(_("cannot connect to the database"), cause);
	if (token_fd != -1 ? ui_login_token(&ui, token_fd, &cause) :
	    ui_login_local(&ui, &cause))
		die(_("login"), _(cause));
	if (ui_whoami(&ui, &cause) != 0)
		die(_("login"), _(cause));
	ui_set_language(ui.user.locale);
	log_set_prefix("%s", ui.user.login);

	xasprintf(&menus, "%s/menus.conf", cfg.forms_dir);
	if ((ui.menu = menu_load(menus, &cause)) == NULL)
		die(_("menu"), cause);
	free(menus);

	ui_start(&ui);
	draft_offer(&ui);
	ui_menu(&ui);
	ui_stop();
	ui_logout(&ui);
	menu_def_free(ui.menu);
	db_close(ui.db);
	config_free(&cfg);
	return 0;
}
