/*
 * casetermctl — the operator's command: apply migrations, load the demo,
 * manage users.  It connects with database.admin_conninfo.  See
 * casetermctl(8).
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static const struct ctl_command {
	const char	*name;
	const char	*usage;
	int		(*run)(struct ctl *, int, char **);
} ctl_commands[] = {
	{ "migrate", "migrate", ctl_migrate },
	{ "demo", "demo", ctl_demo },
	{ "useradd", "useradd LOGIN -n NAME -u UNIT-CODE -r ROLE[,ROLE...] "
	    "[-l zh_CN|en] [-p]", ctl_useradd },
	{ "passwd", "passwd LOGIN", ctl_passwd },
	{ "kill", "kill SESSION-ID", ctl_kill },
	{ "unlock", "unlock LOGIN|ADDRESS", ctl_unlock },
	{ "calendar", "calendar import FILE...", ctl_calendar },
	{ "user", "user list|add|disable|enable|roles|move|locale|name|"
	    "key-add|key-list|key-del ...", ctl_user },
	{ "unit", "unit list|add|rename|move|disable|enable|import ...",
	    ctl_unit },
	{ "codes", "codes import|list|disable|enable KIND ...", ctl_codes },
	{ "sessions", "sessions [--all]", ctl_sessions },
	{ "audit", "audit verify | audit show [--user L] [--case N] "
	    "[--since DATE] ...", ctl_audit },
};

static __attribute__((noreturn)) void
usage(void)
{
	size_t	 i;

	fprintf(stderr, "usage: casetermctl [-f config] command [args]\n");
	for (i = 0; i < sizeof ctl_commands / sizeof ctl_commands[0]; i++)
		fprintf(stderr, "       casetermctl %s\n", ctl_commands[i].usage);
	exit(2);
}

/* Run one statement; on error print it and exit: casetermctl is a script. */
PGresult *
ctl_exec(struct ctl *ctl, const char *sql, int n, const char *const *p)
{
	PGresult	*res;
	char		*cause;

	if ((res = db_exec(ctl->db, sql, n, p, &cause)) == NULL) {
		fprintf(stderr, "casetermctl: %s\n", cause);
		exit(1);
	}
	return res;
}

int
main(int argc, char **argv)
{
	struct config	 cfg;
	struct ctl	 ctl;
	const char	*path = NULL;
	char		*cause;
	size_t		 i;
	int		 ch, ret;

	setlocale(LC_ALL, "C.UTF-8");
	while ((ch = getopt(argc, argv, "+f:")) != -1) {
		if (ch != 'f')
			usage();
		path = optarg;
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	for (i = 0; i < sizeof ctl_commands / sizeof ctl_commands[0]; i++)
		if (strcmp(argv[0], ctl_commands[i].name) == 0)
			break;
	if (i == sizeof ctl_commands / sizeof ctl_commands[0])
		usage();
	log_init("casetermctl", LL_WARN, false);
	if (config_load(path, &cfg, &cause) != 0) {
		fprintf(stderr, "casetermctl: %s\n", cause);
		return 1;
	}
	memset(&ctl, 0, sizeof ctl);
	ctl.cfg = &cfg;
	if ((ctl.db = db_open(cfg.db_admin_conninfo, &cause)) == NULL) {
		fprintf(stderr, "casetermctl: database: %s\n", cause);
		return 1;
	}
	PQclear(ctl_exec(&ctl, "SET client_min_messages = warning", 0, NULL));
	optind = 0;	/* glibc: start afresh, permuting again */
	ret = ctl_commands[i].run(&ctl, argc, argv);
	db_close(ctl.db);
	config_free(&cfg);
	return ret;
}
