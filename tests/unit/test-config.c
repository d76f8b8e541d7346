/* The configuration file: the shipped one, defaults, and mistakes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caseterm.h"

static char *
write_conf(const char *text)
{
	char	*path = xstrdup("/tmp/caseterm-conf.XXXXXX");
	int	 fd = mkstemp(path);
	FILE	*f = fdopen(fd, "w");

	fputs(text, f);
	fclose(f);
	return path;
}

static void
shipped_config_loads(void **state)
{
	struct config	 cfg;
	char		*cause;

	assert_int_equal(config_load("conf/caseterm.conf", &cfg, &cause), 0);
	assert_string_equal(cfg.listen_address, "127.0.0.1");
	assert_int_equal(cfg.listen_port, 2222);
	assert_int_equal(cfg.max_auth_tries, 6);
	assert_string_equal(cfg.default_locale, "zh_CN");
	config_free(&cfg);
}

static void
defaults_and_relative_paths(void **state)
{
	struct config	 cfg;
	char		*path, *cause, *want, *dir;

	path = write_conf("paths = { forms = \"myforms\"; };\n");
	assert_int_equal(config_load(path, &cfg, &cause), 0);
	dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	xasprintf(&want, "%s/myforms", dir);
	assert_string_equal(cfg.forms_dir, want);
	assert_int_equal(cfg.listen_port, 2222);
	assert_int_equal(cfg.login_grace_time, 60);
	assert_string_equal(cfg.db_conninfo, "dbname=caseterm user=caseterm_app");
	config_free(&cfg);
	unlink(path);
	free(path);
	free(want);
	free(dir);
}

static const struct bad {
	const char	*text;
	const char	*want;
} bad_configs[] = {
	{ "listen = { port = 22222; };\nlisten_port = 3;\n",
	  ":2: unknown setting 'listen_port'" },
	{ "listen = {\n  port = \"2222\"; };\n",
	  ":2: listen.port: expected a number" },
	{ "listen = {\n  port = 70000; };\n",
	  ":2: listen.port: value out of range" },
	{ "log = { level = \"loud\"; };\n",
	  ":1: log.level: log level must be" },
	{ "listen = { port = 1;\n",
	  ":2: syntax error" },
};

static void
mistakes_reported_with_line(void **state)
{
	struct config	 cfg;
	char		*path, *cause;
	size_t		 i;

	for (i = 0; i < sizeof bad_configs / sizeof bad_configs[0]; i++) {
		path = write_conf(bad_configs[i].text);
		assert_int_equal(config_load(path, &cfg, &cause), -1);
		if (strstr(cause, bad_configs[i].want) == NULL)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, cause,
			    bad_configs[i].want);
		free(cause);
		unlink(path);
		free(path);
	}
	assert_int_equal(config_load("/nonexistent/caseterm.conf", &cfg,
	    &cause), -1);
	assert_non_null(strstr(cause, "No such file"));
	free(cause);
}

/* Every key the code knows is documented in the shipped file, with its
 * default: the file loads to exactly the built-in defaults. */
static void
every_key_documented(void **state)
{
	struct config	 shipped, defaults;
	char		*text, *cause, *empty, *want, *dot;
	const char	*name;
	FILE		*f;
	long		 n;
	size_t		 i;

	f = fopen("conf/caseterm.conf", "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = xcalloc(1, (size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	for (i = 0; (name = config_key_name(i)) != NULL; i++) {
		dot = strchr(name, '.');
		xasprintf(&want, "%s =", dot != NULL ? dot + 1 : name);
		if (strstr(text, want) == NULL)
			fail_msg("%s is not in conf/caseterm.conf", name);
		free(want);
	}
	free(text);
	empty = write_conf("# nothing\n");
	assert_int_equal(config_load("conf/caseterm.conf", &shipped, &cause), 0);
	assert_int_equal(config_load(empty, &defaults, &cause), 0);
	assert_int_equal(shipped.listen_port, defaults.listen_port);
	assert_int_equal(shipped.max_failures, defaults.max_failures);
	assert_int_equal(shipped.max_failures_per_source,
	    defaults.max_failures_per_source);
	assert_int_equal(shipped.idle_lock, defaults.idle_lock);
	assert_int_equal(shipped.max_duration, defaults.max_duration);
	assert_int_equal(shipped.max_sessions_per_user,
	    defaults.max_sessions_per_user);
	assert_int_equal(shipped.max_startups_per_source,
	    defaults.max_startups_per_source);
	assert_int_equal(shipped.stop_timeout, defaults.stop_timeout);
	assert_string_equal(shipped.auth_methods, defaults.auth_methods);
	config_free(&shipped);
	config_free(&defaults);
	unlink(empty);
	free(empty);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_config_loads),
		cmocka_unit_test(defaults_and_relative_paths),
		cmocka_unit_test(mistakes_reported_with_line),
		cmocka_unit_test(every_key_documented),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
