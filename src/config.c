/*
 * config.c — the caseterm configuration file (libconfig syntax).
 *
 * Every key is a row in config_keys[]: its path, its type, where it goes and
 * its default.  A key the table does not know, or a value of the wrong type,
 * is an error reported as "file:line: what is wrong", so that a typo never
 * silently falls back to a default.  Relative paths are taken from the
 * folder of the configuration file.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libconfig.h>

#include "caseterm.h"
#include "paths.h"

enum key_type {
	K_STRING, K_PATH, K_INT, K_BOOL, K_LOGLEVEL, K_LOGTARGET, K_METHODS
};

struct config_key {
	const char	*name;
	enum key_type	 type;
	size_t		 offset;
	const char	*def;		/* default, as text */
	int		 min, max;	/* for K_INT */
};

#define OFF(f) offsetof(struct config, f)
static const struct config_key config_keys[] = {
	{ "listen.address", K_STRING, OFF(listen_address), "127.0.0.1", 0, 0 },
	{ "listen.port", K_INT, OFF(listen_port), "2222", 0, 65535 },
	{ "host_key", K_PATH, OFF(host_key),
	    CT_STATEDIR "/ssh_host_ed25519_key", 0, 0 },
	{ "database.conninfo", K_STRING, OFF(db_conninfo),
	    "dbname=caseterm user=caseterm_app", 0, 0 },
	{ "database.admin_conninfo", K_STRING, OFF(db_admin_conninfo),
	    "dbname=caseterm", 0, 0 },
	{ "paths.forms", K_PATH, OFF(forms_dir), CT_DATADIR "/forms", 0, 0 },
	{ "paths.sql", K_PATH, OFF(sql_dir), CT_DATADIR "/sql", 0, 0 },
	{ "paths.data", K_PATH, OFF(data_dir), CT_DATADIR "/data", 0, 0 },
	{ "paths.locale", K_PATH, OFF(locale_dir), CT_LOCALEDIR, 0, 0 },
	{ "paths.ui_program", K_PATH, OFF(ui_program),
	    CT_BINDIR "/caseterm", 0, 0 },
	{ "ui.locale", K_STRING, OFF(default_locale), "zh_CN", 0, 0 },
	{ "log.level", K_LOGLEVEL, OFF(log_level), "info", 0, 0 },
	{ "log.target", K_LOGTARGET, OFF(log_syslog), "stderr", 0, 0 },
	{ "auth.methods", K_METHODS, OFF(auth_methods),
	    "password,keyboard-interactive,publickey", 0, 0 },
	{ "auth.login_grace_time", K_INT, OFF(login_grace_time), "60", 1, 3600 },
	{ "auth.max_tries", K_INT, OFF(max_auth_tries), "6", 1, 100 },
	{ "auth.max_failures", K_INT, OFF(max_failures), "5", 1, 1000 },
	{ "auth.max_failures_per_source", K_INT, OFF(max_failures_per_source),
	    "20", 1, 100000 },
	{ "auth.failure_window", K_INT, OFF(failure_window), "600", 1, 86400 },
	{ "auth.lockout_time", K_INT, OFF(lockout_time), "900", 0, 604800 },
	{ "listen.max_startups", K_INT, OFF(max_startups), "100", 1, 10000 },
	{ "listen.max_startups_per_source", K_INT,
	    OFF(max_startups_per_source), "10", 1, 10000 },
	{ "session.max_per_user", K_INT, OFF(max_sessions_per_user), "3",
	    1, 1000 },
	{ "session.idle_warn", K_INT, OFF(idle_warn), "840", 0, 86400 },
	{ "session.idle_lock", K_INT, OFF(idle_lock), "900", 0, 86400 },
	{ "session.max_duration", K_INT, OFF(max_duration), "43200", 0,
	    604800 },
	{ "session.keepalive_interval", K_INT, OFF(keepalive_interval), "30",
	    0, 3600 },
	{ "session.keepalive_count", K_INT, OFF(keepalive_count), "3", 1, 100 },
	{ "session.stop_timeout", K_INT, OFF(stop_timeout), "10", 1, 600 },
};
#undef OFF

/* The i-th key's name ("group.key"), or NULL past the last: for tests and
 * documentation checks. */
const char *
config_key_name(size_t i)
{
	return i < sizeof config_keys / sizeof config_keys[0] ?
	    config_keys[i].name : NULL;
}

const char *
config_default_path(void)
{
	return CT_SYSCONFDIR "/caseterm.conf";
}

static char *
config_resolve(const char *dir, const char *value)
{
	char	*p;

	if (value[0] == '/' || dir == NULL)
		return xstrdup(value);
	xasprintf(&p, "%s/%s", dir, value);
	return p;
}

static int
config_methods_valid(const char *v)
{
	static const char *const known[] = { "password",
	    "keyboard-interactive", "publickey", NULL };
	char	*copy = xstrdup(v), *tok, *save = NULL;
	int	 i, n = 0, ret = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL && ret == 0;
	    tok = strtok_r(NULL, ",", &save), n++) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(known[i], tok) == 0)
				break;
		if (known[i] == NULL)
			ret = -1;
	}
	free(copy);
	return n == 0 ? -1 : ret;
}

/* Store the text value v for key k into cfg; NULL cause on success. */
static const char *
config_set(struct config *cfg, const struct config_key *k, const char *dir,
    const char *v, long long n)
{
	void	*field = (char *)cfg + k->offset;

	switch (k->type) {
	case K_METHODS:
		if (config_methods_valid(v) != 0)
			return "methods are a comma-separated list of password, "
			    "keyboard-interactive and publickey";
		/* FALLTHROUGH */
	case K_STRING:
		free(*(char **)field);
		*(char **)field = xstrdup(v);
		break;
	case K_PATH:
		free(*(char **)field);
		*(char **)field = config_resolve(dir, v);
		break;
	case K_INT:
		if (n < k->min || n > k->max)
			return "value out of range";
		*(int *)field = (int)n;
		break;
	case K_BOOL:
		*(bool *)field = n != 0;
		break;
	case K_LOGLEVEL:
		if (log_parse_level(v, (enum log_level *)field) != 0)
			return "log level must be error, warning, info, "
			    "verbose or debug";
		break;
	case K_LOGTARGET:
		if (strcmp(v, "stderr") != 0 && strcmp(v, "syslog") != 0)
			return "log target must be stderr or syslog";
		*(bool *)field = strcmp(v, "syslog") == 0;
		break;
	}
	return NULL;
}

/* Is every setting below s a known key?  Reports the first stranger. */
static int
config_check_names(config_setting_t *s, const char *file, char **cause)
{
	config_setting_t	*c;
	char			 path[256];
	size_t			 i;
	int			 j, n;

	n = config_setting_length(s);
	for (j = 0; j < n; j++) {
		c = config_setting_get_elem(s, (unsigned)j);
		if (config_setting_parent(s) != NULL)
			snprintf(path, sizeof path, "%s.%s",
			    config_setting_name(s), config_setting_name(c));
		else
			snprintf(path, sizeof path, "%s", config_setting_name(c));
		if (config_setting_is_group(c)) {
			if (config_check_names(c, file, cause) != 0)
				return -1;
			continue;
		}
		for (i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++)
			if (strcmp(config_keys[i].name, path) == 0)
				break;
		if (i == sizeof config_keys / sizeof config_keys[0]) {
			xasprintf(cause, "%s:%d: unknown setting '%s'", file,
			    config_setting_source_line(c), path);
			return -1;
		}
	}
	return 0;
}

int
config_load(const char *path, struct config *cfg, char **cause)
{
	config_t		 lc;
	config_setting_t	*s;
	const struct config_key	*k;
	const char		*v, *why;
	char			*dir = NULL, *copy, abspath[PATH_MAX];
	long long		 n = 0;
	size_t			 i;
	int			 ret = -1;

	*cause = NULL;
	memset(cfg, 0, sizeof *cfg);
	for (i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++) {
		k = &config_keys[i];
		why = config_set(cfg, k, NULL, k->def, strtoll(k->def, NULL, 10));
		if (why != NULL)
			fatal("bad default for %s", k->name);
	}
	if (path == NULL)
		path = config_default_path();
	if (realpath(path, abspath) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		config_free(cfg);
		return -1;
	}
	cfg->path = xstrdup(abspath);
	copy = xstrdup(abspath);
	dir = xstrdup(dirname(copy));
	free(copy);

	config_init(&lc);
	if (config_read_file(&lc, abspath) != CONFIG_TRUE) {
		xasprintf(cause, "%s:%d: %s", path, config_error_line(&lc),
		    config_error_text(&lc));
		goto out;
	}
	if (config_check_names(config_root_setting(&lc), path, cause) != 0)
		goto out;
	for (i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++) {
		k = &config_keys[i];
		if ((s = config_lookup(&lc, k->name)) == NULL)
			continue;
		v = NULL;
		switch (k->type) {
		case K_INT:
			if (config_setting_type(s) == CONFIG_TYPE_INT)
				n = config_setting_get_int(s);
			else if (config_setting_type(s) == CONFIG_TYPE_INT64)
				n = config_setting_get_int64(s);
			else {
				why = "expected a number";
				goto bad;
			}
			break;
		case K_BOOL:
			if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
				why = "expected true or false";
				goto bad;
			}
			n = config_setting_get_bool(s);
			break;
		default:
			if ((v = config_setting_get_string(s)) == NULL) {
				why = "expected a string";
				goto bad;
			}
			break;
		}
		if ((why = config_set(cfg, k, dir, v, n)) == NULL)
			continue;
	bad:
		xasprintf(cause, "%s:%d: %s: %s", path,
		    config_setting_source_line(s), k->name, why);
		goto out;
	}
	ret = 0;
out:
	config_destroy(&lc);
	free(dir);
	if (ret != 0)
		config_free(cfg);
	return ret;
}

void
config_free(struct config *cfg)
{
	size_t	 i;

	for (i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++) {
		const struct config_key *k = &config_keys[i];
		if (k->type == K_STRING || k->type == K_PATH ||
		    k->type == K_METHODS) {
			char **p = (char **)((char *)cfg + k->offset);
			free(*p);
			*p = NULL;
		}
	}
	free(cfg->path);
	cfg->path = NULL;
}
