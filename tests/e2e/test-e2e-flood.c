/*
 * A flood of idle, unauthenticated connections from one address (127.0.0.2:
 * they connect and never speak) does not keep a clerk at another address
 * out: casetermd admits only listen.max_startups_per_source of them, refuses
 * the rest at once, and the clerk's login goes through.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"

#define FLOOD	60

static int
idle_connection(const char *from, int port)
{
	struct sockaddr_in	 src, dst;
	int			 fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&src, 0, sizeof src);
	src.sin_family = AF_INET;
	inet_pton(AF_INET, from, &src.sin_addr);
	memset(&dst, 0, sizeof dst);
	dst.sin_family = AF_INET;
	dst.sin_port = htons((unsigned short)port);
	inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
	if (fd == -1 || bind(fd, (struct sockaddr *)&src, sizeof src) != 0 ||
	    connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0)
		fail_msg("cannot open a flood connection from %s", from);
	return fd;
}

static void
flood_does_not_lock_out_a_clerk(void **state)
{
	struct timespec	 a, b;
	struct term	*t;
	int		 fds[FLOOD], i;
	double		 secs;

	for (i = 0; i < FLOOD; i++)
		fds[i] = idle_connection("127.0.0.2", e2e_port());
	usleep(500 * 1000);
	assert_true(e2e_log_has(getenv("CT_TEST_LOG"),
	    "refused connection from 127.0.0.2"));

	clock_gettime(CLOCK_MONOTONIC, &a);
	t = e2e_open("zd_village", E2E_PASSWORD);
	e2e_expect(t, "主菜单");
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	printf("# login to menu during the flood: %.2f s\n", secs);
	assert_true(secs < 5.0);
	e2e_logout(t);

	for (i = 0; i < FLOOD; i++)
		close(fds[i]);
	/* once the flood is gone, 127.0.0.2 is served again: the server
	 * speaks first with its banner instead of closing at once */
	usleep(500 * 1000);
	{
		char	 banner[32] = "";
		int	 fd = idle_connection("127.0.0.2", e2e_port());
		ssize_t	 n = read(fd, banner, sizeof banner - 1);

		assert_true(n > 0);
		assert_non_null(strstr(banner, "SSH-2.0-caseterm"));
		close(fd);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flood_does_not_lock_out_a_clerk),
	};

	return cmocka_run_group_tests_name("e2e-flood", tests, NULL, NULL);
}
