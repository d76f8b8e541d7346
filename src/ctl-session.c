/*
 * ctl-session.c — casetermctl kill and unlock: end a clerk's session (its
 * session process notices within seconds, on whichever host it runs) and
 * lift a lockout after too many failed logins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

int
ctl_kill(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[1];
	PGresult	*res;
	int		 ret;

	if (argc != 2 || strspn(argv[1], "0123456789") != strlen(argv[1])) {
		fprintf(stderr, "usage: casetermctl kill SESSION-ID\n");
		return 2;
	}
	p[0] = argv[1];
	res = ctl_exec(ctl, "SELECT caseterm.session_kill($1::bigint)", 1, p);
	ret = strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? 0 : 1;
	if (ret == 0)
		printf("session %s ended\n", argv[1]);
	else
		fprintf(stderr, "casetermctl: no open session %s\n", argv[1]);
	PQclear(res);
	return ret;
}

int
ctl_unlock(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[2] = { NULL, NULL };
	PGresult	*res;

	if (argc != 2) {
		fprintf(stderr, "usage: casetermctl unlock LOGIN|ADDRESS\n");
		return 2;
	}
	/* An address has dots or colons; a login never does. */
	if (strpbrk(argv[1], ".:") != NULL)
		p[1] = argv[1];
	else
		p[0] = argv[1];
	res = ctl_exec(ctl, "SELECT caseterm.auth_unlock($1, $2)", 2, p);
	printf("%s: earlier failed logins no longer count\n", argv[1]);
	PQclear(res);
	return 0;
}
