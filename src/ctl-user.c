/*
 * ctl-user.c — casetermctl useradd and passwd.  Passwords are read from the
 * terminal without echo (twice), or from standard input when it is not a
 * terminal, and stored only as crypt(3) yescrypt hashes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ctl.h"

char *
ctl_read_password(const char *prompt)
{
	struct termios	 t, saved;
	char		 buf[256];
	bool		 tty = isatty(STDIN_FILENO);

	if (tty) {
		/* echo off first, then the prompt: nothing typed shows */
		tcgetattr(STDIN_FILENO, &saved);
		t = saved;
		t.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
		fputs(prompt, stderr);
	}
	if (fgets(buf, sizeof buf, stdin) == NULL)
		buf[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		fputs("\n", stderr);
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	return xstrdup(buf);
}

/* 0 if pw is acceptable, else -1 with a message on stderr. */
static int
ctl_password_ok(const char *pw)
{
	if (strlen(pw) >= 8)
		return 0;
	fprintf(stderr, "casetermctl: a password needs 8 characters or more\n");
	return -1;
}

int
ctl_user_upsert(struct ctl *ctl, const char *login, const char *name,
    const char *unit_code, const char *roles, const char *locale,
    const char *password)
{
	const char	*p[6];
	char		*hash = NULL;
	PGresult	*res;

	if (password != NULL && (hash = passwd_hash(password)) == NULL) {
		fprintf(stderr, "casetermctl: cannot hash the password\n");
		return 1;
	}
	p[0] = login;
	p[1] = name;
	p[2] = unit_code;
	p[3] = roles;
	p[4] = locale;
	p[5] = hash;
	res = ctl_exec(ctl, "INSERT INTO caseterm.app_user (login, "
	    "display_name, unit_id, roles, locale, password_hash) "
	    "SELECT $1, $2, id, string_to_array($4, ','), "
	    "coalesce($5, 'zh_CN'), $6 "
	    "FROM caseterm.org_unit WHERE code = $3 "
	    "ON CONFLICT (login) DO UPDATE SET display_name = "
	    "EXCLUDED.display_name, unit_id = EXCLUDED.unit_id, roles = "
	    "EXCLUDED.roles, locale = coalesce($5, caseterm.app_user.locale), "
	    "password_hash = "
	    "coalesce(EXCLUDED.password_hash, caseterm.app_user.password_hash) "
	    "RETURNING id", 6, p);
	free(hash);
	if (PQntuples(res) != 1) {
		fprintf(stderr, "casetermctl: no unit with code %s\n", unit_code);
		PQclear(res);
		return 1;
	}
	PQclear(res);
	return 0;
}

int
ctl_useradd(struct ctl *ctl, int argc, char **argv)
{
	const char	*name = NULL, *unit = NULL, *roles = NULL;
	const char	*locale = NULL;	/* new users: zh_CN; others keep theirs */
	char		*pw = NULL;
	int		 ch, ret, ask = 0;

	while ((ch = getopt(argc, argv, "n:u:r:l:p")) != -1) {
		switch (ch) {
		case 'n': name = optarg; break;
		case 'u': unit = optarg; break;
		case 'r': roles = optarg; break;
		case 'l': locale = optarg; break;
		case 'p': ask = 1; break;
		default: return 2;
		}
	}
	if (optind + 1 != argc || name == NULL || unit == NULL ||
	    roles == NULL) {
		fprintf(stderr, "usage: casetermctl useradd LOGIN -n NAME "
		    "-u UNIT-CODE -r ROLE[,ROLE...] [-l zh_CN|en] [-p]\n");
		return 2;
	}
	if (ask) {
		pw = ctl_read_password("New password: ");
		if (ctl_password_ok(pw) != 0) {
			passwd_burn(pw, strlen(pw));
			free(pw);
			return 1;
		}
	}
	ret = ctl_user_upsert(ctl, argv[optind], name, unit, roles, locale,
	    pw != NULL && *pw != '\0' ? pw : NULL);
	if (pw != NULL)
		passwd_burn(pw, strlen(pw));
	free(pw);
	if (ret == 0)
		printf("user %s saved\n", argv[optind]);
	return ret;
}

int
ctl_passwd(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[2];
	char		*pw, *again, *hash;
	PGresult	*res;
	int		 ret = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: casetermctl passwd LOGIN\n");
		return 2;
	}
	pw = ctl_read_password("New password: ");
	if (isatty(STDIN_FILENO)) {
		again = ctl_read_password("Again: ");
		if (strcmp(pw, again) != 0) {
			fprintf(stderr, "casetermctl: passwords differ\n");
			free(again);
			goto out;
		}
		free(again);
	}
	if (ctl_password_ok(pw) != 0)
		goto out;
	if ((hash = passwd_hash(pw)) == NULL)
		goto out;
	p[0] = argv[1];
	p[1] = hash;
	res = ctl_exec(ctl, "UPDATE caseterm.app_user SET password_hash = $2 "
	    "WHERE login = $1 RETURNING id", 2, p);
	free(hash);
	if (PQntuples(res) == 1) {
		printf("password of %s changed\n", argv[1]);
		ret = 0;
	} else
		fprintf(stderr, "casetermctl: no user %s\n", argv[1]);
	PQclear(res);
out:
	passwd_burn(pw, strlen(pw));
	free(pw);
	return ret;
}
