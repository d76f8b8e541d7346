/*
 * casetermd — the caseterm SSH server.  See casetermd(8).
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "form.h"

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: casetermd [-tTv] [-f config] [-p port]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct config	 cfg;
	const char	*path = NULL;
	char		*cause = NULL, *fp;
	ssh_key		 key;
	int		 ch, port = -1, test = 0, print_fp = 0, verbose = 0;

	setlocale(LC_ALL, "C.UTF-8");
	while ((ch = getopt(argc, argv, "f:p:tTv")) != -1) {
		switch (ch) {
		case 'f':
			path = optarg;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 't':
			test = 1;
			break;
		case 'T':
			print_fp = 1;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init("casetermd", LL_INFO, false);
	if (config_load(path, &cfg, &cause) != 0) {
		fprintf(stderr, "casetermd: %s\n", cause);
		return 1;
	}
	if (verbose > 0)
		cfg.log_level = verbose > 1 ? LL_DEBUG : LL_VERBOSE;
	log_init("casetermd", cfg.log_level, cfg.log_syslog);

	if (forms_check(cfg.forms_dir, &cause) != 0) {
		fprintf(stderr, "casetermd: %s\n", cause);
		return 1;
	}
	if (test) {
		printf("%s: configuration and forms are valid\n", cfg.path);
		return 0;
	}
	if (print_fp) {
		if ((key = hostkey_load(cfg.host_key, &cause)) == NULL) {
			fprintf(stderr, "casetermd: %s\n", cause);
			return 1;
		}
		fp = hostkey_fingerprint(key);
		printf("256 %s %s (ED25519)\n", fp, cfg.host_key);
		free(fp);
		ssh_key_free(key);
		return 0;
	}
	ssh_init();
	ch = server_run(&cfg, port);
	ssh_finalize();
	config_free(&cfg);
	return ch;
}
